/** (b) Sequential single-metric POST runs/log-metric calls, one at a time. */
import { API, ErrorLog, HttpClient, createRun } from '../http-client.ts'
import { summarize, type LatencySummary } from '../stats.ts'
import { T0 } from '../batch-body.ts'

export interface LogMetricResult {
  calls: number
  warmup: number
  latencyMs: LatencySummary
  callsPerSec: number
  errors: number
  errorSamples: string[]
}

export async function runLogMetric(
  port: number,
  experimentId: string,
  calls: number,
  timeLimitMs: number,
): Promise<LogMetricResult> {
  const http = new HttpClient(port, 1)
  const runId = await createRun(http, experimentId, 'log-metric')
  const warmup = 20
  const latencies: number[] = []
  const errors = new ErrorLog()
  const t0 = performance.now()
  const deadline = t0 + timeLimitMs
  for (let i = 0; i < warmup + calls && performance.now() < deadline; i++) {
    const body = JSON.stringify({
      run_id: runId,
      key: 'lm',
      value: Math.random(),
      timestamp: T0 + i,
      step: i,
    })
    const res = await http.request('POST', `${API}/runs/log-metric`, body)
    if (res.status !== 200) errors.add(`HTTP ${res.status}: ${res.body}`)
    else if (i >= warmup) latencies.push(res.ms)
  }
  const seconds = (performance.now() - t0) / 1000
  http.close()
  return {
    calls: latencies.length,
    warmup,
    latencyMs: summarize(latencies),
    callsPerSec: Math.round((warmup + latencies.length) / seconds),
    errors: errors.count,
    errorSamples: errors.samples,
  }
}
