import type { LogbookStore } from './logbook-store.ts'

type Page = Awaited<ReturnType<LogbookStore['getMetricHistoryJson']>>

/** How long a page read ahead waits for its request; a client reading history asks within ms. */
const TTL_MS = 2_000
/** Pages held at once (a 25,000-point page is ~2 MB of JSON). */
const MAX_PAGES = 4

interface Entry {
  runId: string
  at: number
  /** The run's write generation when the read started; a later write makes the page stale. */
  generation: number
  page: Promise<Page>
}

/**
 * Read the next page of a metric history ahead. MLflow's client (and ours) walks a long history
 * page by page: it asks for page N+1 only after receiving and parsing page N, so the server sat
 * idle during the parse and the client during the next page's SQL. When a page has a successor,
 * this computes it right after the answer leaves and keeps it for the request that follows. A page
 * is used only if no write to its run went through this process since its read began (points
 * logged between two page requests appear as they would without read-ahead); writes by other
 * processes sharing the database are not seen, so there a page can be up to TTL_MS old, which a
 * paged read (no snapshot across requests) already allows.
 */
export function withHistoryReadAhead(store: LogbookStore): LogbookStore {
  const pages = new Map<string, Entry>()
  const generations = new Map<string, number>()
  const generation = (runId: string) => generations.get(runId) ?? 0
  const keyOf = (runId: string, key: string, max: number | undefined, token: string | undefined) => JSON.stringify([runId, key, max ?? null, token ?? null])
  const bump = (runId: string) => {
    generations.set(runId, generation(runId) + 1)
    for (const [k, e] of pages) if (e.runId === runId) pages.delete(k)
  }
  const afterWrite = async <T>(runId: string, write: Promise<T>): Promise<T> => {
    try {
      return await write
    } finally {
      bump(runId)
    }
  }
  const readAhead = (runId: string, key: string, max: number | undefined, token: string) => {
    const entry: Entry = { runId, at: Date.now(), generation: generation(runId), page: store.getMetricHistoryJson(runId, key, max, token) }
    entry.page.catch(() => pages.delete(keyOf(runId, key, max, token)))
    pages.set(keyOf(runId, key, max, token), entry)
    while (pages.size > MAX_PAGES) pages.delete(pages.keys().next().value as string)
  }

  return {
    ...store,
    async getMetricHistoryJson(runId, key, max, token) {
      const k = keyOf(runId, key, max, token)
      const entry = pages.get(k)
      pages.delete(k)
      let page: Page | undefined
      if (entry && entry.generation === generation(runId) && Date.now() - entry.at < TTL_MS) {
        page = await entry.page.catch(() => undefined)
      }
      page ??= await store.getMetricHistoryJson(runId, key, max, token)
      const next = page.nextPageToken
      // After the answer is written: setImmediate runs once this turn's I/O is done.
      if (next !== undefined) setImmediate(() => readAhead(runId, key, max, next))
      return page
    },
    logBatch: (runId, batch) => afterWrite(runId, store.logBatch(runId, batch)),
    logMetrics: (runId, metrics) => afterWrite(runId, store.logMetrics(runId, metrics)),
    purgeRun: (runId) => afterWrite(runId, store.purgeRun(runId)),
    async purgeExperiment(experimentId) {
      try {
        return await store.purgeExperiment(experimentId)
      } finally {
        for (const runId of new Set([...pages.values()].map((e) => e.runId))) bump(runId)
      }
    },
  }
}
