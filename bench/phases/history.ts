/** (d) One long metric series, read back with get-history pages of 25,000 as MLflow's client does. */
import { BatchBody } from '../batch-body.ts'
import { API, ErrorLog, HttpClient, createRun } from '../http-client.ts'
import { prng, round } from '../stats.ts'

const CHUNK = 1000
const PAGE = 25_000

export interface HistoryRead {
  totalMs: number
  httpMs: number
  pages: number
  points: number
  verified: boolean
  problem?: string
}

export interface HistoryResult {
  pointsTarget: number
  pointsLoaded: number
  loadSeconds: number
  loadPointsPerSec: number
  loadTimedOut: boolean
  loadErrors: number
  loadErrorSamples: string[]
  reads: HistoryRead[]
  /** Median read of the series, whole loop including client-side JSON.parse. */
  medianTotalMs: number
  medianHttpMs: number
  readPointsPerSec: number
}

async function load(
  http: HttpClient,
  runId: string,
  points: number,
  concurrency: number,
  limitMs: number,
) {
  const chunks = Math.ceil(points / CHUNK)
  const loaded: number[] = []
  const errors = new ErrorLog()
  let next = 0
  const t0 = performance.now()
  const deadline = t0 + limitMs
  const worker = async (w: number) => {
    const body = new BatchBody(runId, ['hist'], CHUNK, prng(500 + w))
    while (next < chunks && performance.now() < deadline && errors.count < 50) {
      const c = next++
      const res = await http
        .request('POST', `${API}/runs/log-batch`, body.set(c * CHUNK), 300_000)
        .catch((e: Error) => ({ status: 0, body: e.message }))
      if (res.status === 200) loaded.push(c)
      else errors.add(`HTTP ${res.status}: ${res.body}`)
    }
  }
  await Promise.all(Array.from({ length: concurrency }, (_, w) => worker(w)))
  return { loaded, errors, seconds: (performance.now() - t0) / 1000, timedOut: next < chunks }
}

interface Page {
  metrics?: { step: number }[]
  next_page_token?: string
}

async function readAll(
  http: HttpClient,
  runId: string,
  loadedChunks: number[],
  limitMs: number,
): Promise<HistoryRead> {
  const maxChunk = Math.max(0, ...loadedChunks) + 1
  const expected = new Uint8Array(maxChunk * CHUNK)
  for (const c of loadedChunks) expected.fill(1, c * CHUNK, (c + 1) * CHUNK)
  const seen = new Uint8Array(expected.length)
  let points = 0
  let pages = 0
  let httpMs = 0
  let problem: string | undefined
  let token: string | undefined
  const t0 = performance.now()
  do {
    const qs = new URLSearchParams({ run_id: runId, metric_key: 'hist', max_results: String(PAGE) })
    if (token) qs.set('page_token', token)
    const res = await http.request('GET', `${API}/metrics/get-history?${qs}`, undefined, limitMs)
    httpMs += res.ms
    if (res.status !== 200) {
      problem = `page ${pages}: HTTP ${res.status}: ${res.body.slice(0, 400)}`
      break
    }
    const page = JSON.parse(res.body) as Page
    pages++
    for (const m of page.metrics ?? []) {
      points++
      if (expected[m.step] !== 1 || seen[m.step] === 1)
        problem ??= `unexpected or repeated step ${m.step}`
      else seen[m.step] = 1
    }
    token = page.next_page_token || undefined
    if (performance.now() - t0 > limitMs) {
      problem ??= `stopped after ${limitMs} ms (${pages} pages)`
      break
    }
  } while (token)
  const totalMs = performance.now() - t0
  if (problem === undefined && points !== loadedChunks.length * CHUNK) {
    problem = `read ${points} points, expected ${loadedChunks.length * CHUNK}`
  }
  return {
    totalMs: round(totalMs, 1),
    httpMs: round(httpMs, 1),
    pages,
    points,
    verified: problem === undefined,
    problem,
  }
}

export interface HistoryOptions {
  port: number
  experimentId: string
  points: number
  concurrency: number
  loadLimitMs: number
  readLimitMs: number
  readRepeats: number
}

/** Median; the mean of the middle two for an even count. */
function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  if (s.length === 0) return Number.NaN
  return s.length % 2 === 1
    ? (s[mid] as number)
    : round(((s[mid - 1] as number) + (s[mid] as number)) / 2, 1)
}

export async function runHistory(opts: HistoryOptions): Promise<HistoryResult> {
  const http = new HttpClient(opts.port, opts.concurrency)
  const runId = await createRun(http, opts.experimentId, 'history')
  const pop = await load(http, runId, opts.points, opts.concurrency, opts.loadLimitMs)
  const reads: HistoryRead[] = []
  const budgetEnd = performance.now() + opts.readLimitMs
  // The first read may use the whole budget; another starts only if it fits comfortably.
  for (let i = 0; i < opts.readRepeats; i++) {
    const last = reads[reads.length - 1]
    if (last && performance.now() + 1.5 * last.totalMs > budgetEnd) break
    const read = await readAll(
      http,
      runId,
      pop.loaded,
      Math.max(1000, budgetEnd - performance.now()),
    )
    reads.push(read)
    if (!read.verified) break
  }
  http.close()
  const pointsLoaded = pop.loaded.length * CHUNK
  const medianTotalMs = median(reads.map((r) => r.totalMs))
  return {
    pointsTarget: opts.points,
    pointsLoaded,
    loadSeconds: round(pop.seconds, 1),
    loadPointsPerSec: Math.round(pointsLoaded / pop.seconds),
    loadTimedOut: pop.timedOut,
    loadErrors: pop.errors.count,
    loadErrorSamples: pop.errors.samples,
    reads,
    medianTotalMs,
    medianHttpMs: median(reads.map((r) => r.httpMs)),
    readPointsPerSec: Math.round((pointsLoaded * 1000) / medianTotalMs),
  }
}
