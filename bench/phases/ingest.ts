/** (a) Closed-loop log-batch ingest: N clients, one run each, 1,000 metrics per request. */
import { BatchBody } from '../batch-body.ts'
import { API, ErrorLog, HttpClient, createRun } from '../http-client.ts'
import { phaseCpuMeter, type PhaseCpu } from '../proc.ts'
import { prng, round, summarize, type LatencySummary } from '../stats.ts'

export interface IngestOptions {
  port: number
  experimentId: string
  clients: number
  keys: number
  stepsPerKey: number
  /** Stop after this long ... */
  durationMs: number
  /** ... or after this many points in total, whichever comes first. */
  maxPoints?: number
  serverPids: number[]
  /** PostgreSQL postmaster, for CPU accounting. */
  dbRoot?: number
  label: string
}

export interface IngestResult {
  clients: number
  pointsPerRequest: number
  requests: number
  points: number
  seconds: number
  pointsPerSec: number
  requestsPerSec: number
  latencyMs: LatencySummary
  errors: number
  errorSamples: string[]
  /** CPU while the load ran (% of one core; the machine has 2). */
  cpu: PhaseCpu
}

export async function runIngest(opts: IngestOptions): Promise<IngestResult> {
  const http = new HttpClient(opts.port, opts.clients)
  const keys = Array.from({ length: opts.keys }, (_, i) => `m${i}`)
  const perRequest = opts.keys * opts.stepsPerKey
  const bodies: BatchBody[] = []
  for (let c = 0; c < opts.clients; c++) {
    const runId = await createRun(http, opts.experimentId, `${opts.label}-client-${c}`)
    bodies.push(new BatchBody(runId, keys, opts.stepsPerKey, prng(1000 + c)))
  }
  const maxRequests =
    opts.maxPoints === undefined ? Infinity : Math.ceil(opts.maxPoints / perRequest)
  let issued = 0
  const latencies: number[] = []
  const errors = new ErrorLog()
  const cpuMeter = phaseCpuMeter(opts.serverPids, opts.dbRoot)
  const t0 = performance.now()
  const deadline = t0 + opts.durationMs
  const worker = async (body: BatchBody) => {
    let consecutiveErrors = 0
    for (let i = 0; performance.now() < deadline && issued < maxRequests; i++) {
      issued++
      const res = await http
        .request('POST', `${API}/runs/log-batch`, body.set(i * opts.stepsPerKey))
        .catch((e: Error) => ({ status: 0, body: e.message, ms: Number.NaN }))
      if (res.status === 200) {
        latencies.push(res.ms)
        consecutiveErrors = 0
      } else {
        errors.add(`HTTP ${res.status}: ${res.body}`)
        if (++consecutiveErrors >= 50) break
      }
    }
  }
  await Promise.all(bodies.map(worker))
  const seconds = (performance.now() - t0) / 1000
  const cpu = cpuMeter()
  http.close()
  const points = latencies.length * perRequest
  return {
    clients: opts.clients,
    pointsPerRequest: perRequest,
    requests: latencies.length,
    points,
    seconds: round(seconds, 2),
    pointsPerSec: Math.round(points / seconds),
    requestsPerSec: round(latencies.length / seconds, 1),
    latencyMs: summarize(latencies),
    errors: errors.count,
    errorSamples: errors.samples,
    cpu,
  }
}
