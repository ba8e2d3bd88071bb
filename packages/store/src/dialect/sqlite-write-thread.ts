import { fileURLToPath, pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'
import { buildSync } from 'esbuild'
import { METRIC_COLUMNS_MAX_POINTS, MlflowError, indexKeys, type ErrorCode, type Metric, type MetricColumns } from '@logbook/core'
import type { LogbookStore } from '../logbook-store.ts'
import type { BatchIn } from '../tracking-store.ts'
import type { SampledMetricsQuery, SampledSeries } from '../ui-queries.ts'
import type { MetricExtras, ReadRequest, WriteReply, WriteRequest, WriteThreadData } from './sqlite-write-thread-worker.ts'

const WORKER_ENTRY = fileURLToPath(new URL('./sqlite-write-thread-worker.ts', import.meta.url))
const CACHE_KIB = 16_384
/** Runs of a metrics/sampled request from which the thread computes the second half (in parallel). */
const SPLIT_MIN_RUNS = 4
let program: string | undefined

/**
 * The thread's program as one CommonJS script, bundled from its TypeScript on first use (~0.1 s).
 * Loading the modules in the thread through tsx instead would cost it a loader thread and an
 * esbuild service of its own: measured +80 MB RSS at idle, against ~+15 MB for the bundle.
 * Only the native better-sqlite3 stays outside, required from this package's folder.
 */
function workerProgram(): string {
  if (program !== undefined) return program
  const anchor = JSON.stringify(WORKER_ENTRY)
  const out = buildSync({
    entryPoints: [WORKER_ENTRY],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    write: false,
    logLevel: 'silent',
    external: ['better-sqlite3'],
    // import.meta.url of every bundled module (the checkpointer resolves better-sqlite3 with it).
    define: { 'import.meta.url': JSON.stringify(pathToFileURL(WORKER_ENTRY).href) },
    banner: { js: '((require) => {' },
    footer: { js: `})(require('node:module').createRequire(${anchor}))` },
  })
  program = (out.outputFiles[0] as { text: string }).text
  return program
}

const OPTIONAL = ['run_id', 'model_id', 'dataset_name', 'dataset_digest'] as const

/**
 * Metrics as transferable columns (one key list, a key index, three float64 arrays) and, for the
 * few points that carry any, their optional fields (logged model, dataset, run) by index.
 */
function toColumns(metrics: Metric[]): { cols: MetricColumns; extras: MetricExtras[] } {
  const n = metrics.length
  const cols: MetricColumns = {
    ...indexKeys(n, (i) => (metrics[i] as Metric).key),
    values: new Float64Array(n),
    steps: new Float64Array(n),
    timestamps: new Float64Array(n),
  }
  const extras: MetricExtras[] = []
  for (let i = 0; i < n; i++) {
    const m = metrics[i] as Metric
    cols.values[i] = m.value
    cols.steps[i] = m.step
    cols.timestamps[i] = m.timestamp
    if (m.run_id === undefined && m.model_id === undefined && m.dataset_name === undefined && m.dataset_digest === undefined) continue
    const extra: MetricExtras = { i }
    for (const f of OPTIONAL) if (m[f] !== undefined) extra[f] = m[f]
    extras.push(extra)
  }
  return { cols, extras }
}

/**
 * Run SQLite metric writes on a thread of their own. A 1,000-point log-batch costs the serving
 * thread ~5 ms, about half of it inside SQLite (B-tree inserts, latest_metrics, block summaries);
 * with the writes here, parsing and validating the next requests overlaps with them on the
 * second core. The thread owns a second connection to the same file and runs the store's own
 * log-batch code (sql/logging.ts), several queued requests to a transaction; SQLite's write lock
 * orders it against the serving thread's own writes (run create, update, tags), as it would a
 * second process. Writes without points stay on the serving thread. If the thread dies, writes go
 * back to the serving thread.
 */
export async function withSqliteWriteThread(
  store: LogbookStore,
  path: string,
  options: { defaultArtifactRoot: string },
): Promise<LogbookStore> {
  const data: WriteThreadData = { path, defaultArtifactRoot: options.defaultArtifactRoot, cacheKib: CACHE_KIB }
  // A small young generation: the thread's garbage is short-lived (a batch's rows and chunks), and
  // V8's default let it grow by ~30 MB under 8-client ingest (RSS phase of `npm run bench`: peak
  // 257-263 MB -> 231 MB, same points/s; one run had reached 317 MB).
  const worker = new Worker(workerProgram(), { eval: true, execArgv: [], workerData: data, resourceLimits: { maxYoungGenerationSizeMb: 8 } })
  const pending = new Map<number, { resolve: (series?: SampledSeries[]) => void; reject: (e: Error) => void }>()
  let nextId = 0
  let alive = true
  let closed: (() => void) | undefined

  await new Promise<void>((ready, failed) => {
    worker.once('error', failed)
    worker.once('message', (msg: unknown) => {
      worker.off('error', failed)
      if (msg === 'ready') ready()
      else failed(new Error(`SQLite write thread did not start: ${(msg as { failed?: string }).failed ?? String(msg)}`))
    })
  }).catch(async (e: unknown) => {
    await worker.terminate()
    throw e
  })

  const fail = (why: Error) => {
    alive = false
    for (const p of pending.values()) p.reject(why)
    pending.clear()
  }
  worker.on('message', (msg: WriteReply | 'closed') => {
    if (msg === 'closed') return closed?.()
    const p = pending.get(msg.id)
    if (!p) return
    pending.delete(msg.id)
    if (msg.ok) p.resolve(msg.series)
    else if ('code' in msg) p.reject(new MlflowError(msg.code as ErrorCode, msg.message))
    else p.reject(new Error(`SQLite write thread: ${msg.crash}`))
  })
  worker.on('error', (e) => {
    process.stderr.write(`SQLite write thread failed; writing on the serving thread from now on: ${e.stack ?? e.message}\n`)
    fail(e)
  })
  worker.on('exit', () => {
    fail(new Error('SQLite write thread exited'))
    closed?.()
  })

  const send = (op: WriteRequest['op'], runId: string, metrics: Metric[], batch: Omit<BatchIn, 'metrics'>): Promise<void> => {
    const { cols, extras } = toColumns(metrics)
    const id = nextId++
    const request: WriteRequest = { id, op, runId, metrics: cols, extras, params: batch.params, tags: batch.tags }
    return new Promise<void>((resolve, reject) => {
      pending.set(id, { resolve: () => resolve(), reject })
      worker.postMessage(request, [cols.keyIndex, cols.values, cols.steps, cols.timestamps].map((a) => a.buffer as ArrayBuffer))
    })
  }
  const ask = (query: SampledMetricsQuery): Promise<SampledSeries[]> => {
    const id = nextId++
    const request: ReadRequest = { id, op: 'sampled', query }
    return new Promise<SampledSeries[]>((resolve, reject) => {
      pending.set(id, { resolve: (series) => resolve(series ?? []), reject })
      worker.postMessage(request)
    })
  }
  // A chart of many runs: the thread reads the second half of them while this one reads the first.
  // 50 runs x 977 buckets, binary answer, idle 2-core machine: ~135 -> ~87 ms. With the browser on
  // the same 2 cores (bench:ui) both are busy anyway and the chart is drawn no sooner.
  const sampledMetrics = async (q: SampledMetricsQuery): Promise<SampledSeries[]> => {
    const ids = [...new Set(q.runIds)]
    if (!alive || ids.length < SPLIT_MIN_RUNS) return store.sampledMetrics(q)
    const half = Math.ceil(ids.length / 2)
    const rest = { ...q, runIds: ids.slice(half) }
    // A thread that died meanwhile leaves its half to this one, as it leaves writes.
    const theirs = ask(rest).catch((e: unknown) => (alive ? Promise.reject(e) : store.sampledMetrics(rest)))
    const [first, second] = await Promise.all([store.sampledMetrics({ ...q, runIds: ids.slice(0, half) }), theirs])
    return [...first, ...second]
  }
  // Oversized requests stay here so that the store's own limit check answers them.
  const threaded = (metrics: Metric[]) => alive && metrics.length > 0 && metrics.length <= METRIC_COLUMNS_MAX_POINTS

  return {
    ...store,
    logBatch: (runId, batch) => (threaded(batch.metrics) ? send('logBatch', runId, batch.metrics, batch) : store.logBatch(runId, batch)),
    sampledMetrics,
    logMetrics: (runId, metrics) => (threaded(metrics) ? send('logMetrics', runId, metrics, { params: [], tags: [] }) : store.logMetrics(runId, metrics)),
    async close() {
      if (alive) {
        const done = new Promise<void>((resolve) => (closed = resolve))
        worker.postMessage('close')
        await done
      }
      await worker.terminate()
      await store.close()
    },
  }
}
