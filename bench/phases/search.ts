/** (c) Run search over an experiment of N runs × 20 params × 10 metrics, populated via the API. */
import { API, ErrorLog, HttpClient, createExperiment, createRun } from '../http-client.ts'
import { prng, round, summarize, type LatencySummary } from '../stats.ts'
import { T0 } from '../batch-body.ts'
import type { DirectRun } from './search-direct.ts'

const PARAMS = 20
const METRICS = 10

export interface SearchQueryResult {
  name: string
  request: Record<string, unknown>
  repeats: number
  latencyMs: LatencySummary
  runsReturned: number
  expectedRuns: number
  verified: boolean
}

/** The queries timed once the experiment held `runs` runs. */
export interface SearchCheckpoint {
  runs: number
  queries: SearchQueryResult[]
}

export interface SearchResult {
  runsTarget: number
  runsPopulated: number
  populateSeconds: number
  populateRunsPerSec: number
  populateTimedOut: boolean
  populateErrors: number
  populateErrorSamples: string[]
  /** Runs written straight into the database after the API time bound (MLflow only). */
  runsInsertedDirectly: number
  checkpoints: SearchCheckpoint[]
}

interface RunData {
  params: string[]
  metrics: number[]
}

/** The params and metrics of run #i: identical for every server. */
function runData(i: number): RunData {
  const rand = prng(7919 * (i + 1))
  const params = Array.from({ length: PARAMS }, () => `v${Math.floor(rand() * 10)}`)
  const metrics = Array.from({ length: METRICS }, () => rand())
  return { params, metrics }
}

interface Population {
  done: number[]
  errors: ErrorLog
  next: number
}

/** Adds runs #pop.next .. #upTo-1, stopping at the deadline; returns the seconds spent. */
async function populate(
  http: HttpClient,
  experimentId: string,
  pop: Population,
  upTo: number,
  concurrency: number,
  deadline: number,
) {
  const { done, errors } = pop
  const t0 = performance.now()
  const worker = async () => {
    while (pop.next < upTo && performance.now() < deadline && errors.count < 50) {
      const i = pop.next++
      const { params, metrics } = runData(i)
      try {
        const runId = await createRun(http, experimentId, `search-${i}`, T0 + i)
        await http.json('POST', `${API}/runs/log-batch`, {
          run_id: runId,
          params: params.map((value, k) => ({ key: `p${k}`, value })),
          metrics: metrics.map((value, k) => ({ key: `m${k}`, value, timestamp: T0 + i, step: 0 })),
        })
        done.push(i)
      } catch (error) {
        errors.add((error as Error).message)
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  return (performance.now() - t0) / 1000
}

function m2Values(body: {
  runs?: { data?: { metrics?: { key: string; value: number }[] } }[]
}): number[] {
  return (body.runs ?? []).map(
    (r) => r.data?.metrics?.find((m) => m.key === 'm2')?.value ?? Number.NaN,
  )
}

async function timeQuery(
  http: HttpClient,
  name: string,
  request: Record<string, unknown>,
  expected: number[],
  repeats: number,
  limitMs: number,
): Promise<SearchQueryResult> {
  const payload = JSON.stringify(request)
  const path = `${API}/runs/search`
  let got: number[] = []
  for (let w = 0; w < 2; w++) {
    const res = await http.request('POST', path, payload, limitMs)
    if (res.status !== 200)
      throw new Error(`${name}: HTTP ${res.status}: ${res.body.slice(0, 500)}`)
    got = m2Values(JSON.parse(res.body))
  }
  const latencies: number[] = []
  const deadline = performance.now() + limitMs
  for (let i = 0; i < repeats && performance.now() < deadline; i++) {
    const res = await http.request('POST', path, payload, limitMs)
    if (res.status !== 200)
      throw new Error(`${name}: HTTP ${res.status}: ${res.body.slice(0, 500)}`)
    latencies.push(res.ms)
  }
  const verified = got.length === expected.length && got.every((v, i) => v === expected[i])
  return {
    name,
    request,
    repeats: latencies.length,
    latencyMs: summarize(latencies),
    runsReturned: got.length,
    expectedRuns: expected.length,
    verified,
  }
}

export interface SearchOptions {
  port: number
  /** Time the queries when the experiment holds each of these run counts (the last is the target). */
  checkpoints: number[]
  repeats: number
  populateLimitMs: number
  queryLimitMs: number
  concurrency: number
  /** Writes runs the API could not create within the time bound straight into the server's database. */
  topUp?: (experimentId: string, runs: DirectRun[]) => Promise<void>
}

async function timeQueries(
  http: HttpClient,
  experimentId: string,
  done: number[],
  opts: SearchOptions,
) {
  const data = done.map((i) => runData(i))
  const top = (rows: RunData[]) =>
    rows
      .map((r) => r.metrics[2] as number)
      .sort((a, b) => b - a)
      .slice(0, 100)
  const filtered = data.filter((r) => (r.metrics[1] as number) > 0.5 && r.params[1] === 'v3')
  const base = { experiment_ids: [experimentId], max_results: 100 }
  const filter = "metrics.m1 > 0.5 and params.p1 = 'v3'"
  return [
    await timeQuery(
      http,
      FILTERED,
      { ...base, filter, order_by: ['metrics.m2 DESC'] },
      top(filtered),
      opts.repeats,
      opts.queryLimitMs,
    ),
    await timeQuery(
      http,
      UNFILTERED,
      { ...base, order_by: ['metrics.m2 DESC'] },
      top(data),
      opts.repeats,
      opts.queryLimitMs,
    ),
  ]
}

export const FILTERED = "filter metrics.m1 > 0.5 and params.p1 = 'v3', order by metrics.m2 DESC"
export const UNFILTERED = 'no filter, order by metrics.m2 DESC'

export async function runSearch(
  opts: SearchOptions,
  log: (m: string) => void,
): Promise<SearchResult> {
  const http = new HttpClient(opts.port, opts.concurrency)
  const experimentId = await createExperiment(http, 'bench-search')
  const target = opts.checkpoints[opts.checkpoints.length - 1] ?? 0
  const pop: Population = { done: [], errors: new ErrorLog(), next: 0 }
  const checkpoints: SearchCheckpoint[] = []
  let seconds = 0
  let direct = 0
  for (const size of opts.checkpoints) {
    const deadline = performance.now() + opts.populateLimitMs - seconds * 1000
    seconds += await populate(http, experimentId, pop, size, opts.concurrency, deadline)
    if (pop.done.length < size && opts.topUp && pop.errors.count === 0) {
      const missing = Array.from({ length: size - pop.next }, (_, k) => pop.next + k)
      log(`API populated ${pop.done.length} runs in ${round(seconds, 1)} s; writing the other ${missing.length} into the database`)
      await opts.topUp(
        experimentId,
        missing.map((i) => ({ index: i, name: `search-${i}`, startTime: T0 + i, ...runData(i) })),
      )
      pop.done.push(...missing)
      pop.next = size
      direct += missing.length
    }
    const reached = pop.done.length >= size
    if (!reached && pop.done.length <= (checkpoints[checkpoints.length - 1]?.runs ?? 0)) break
    log(
      `${reached ? '' : 'time bound hit: '}${pop.done.length} runs after ${round(seconds, 1)} s; timing searches`,
    )
    checkpoints.push({
      runs: pop.done.length,
      queries: await timeQueries(http, experimentId, pop.done, opts),
    })
    if (!reached) break
  }
  http.close()
  return {
    runsTarget: target,
    runsPopulated: pop.done.length,
    populateSeconds: round(seconds, 1),
    populateRunsPerSec: round(pop.done.length / seconds, 1),
    populateTimedOut: pop.done.length < target,
    populateErrors: pop.errors.count,
    populateErrorSamples: pop.errors.samples,
    runsInsertedDirectly: direct,
    checkpoints,
  }
}
