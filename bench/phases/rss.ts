/** Logbook only: resident memory of the server process while it ingests N points. */
import { HttpClient, createExperiment } from '../http-client.ts'
import { memStatus } from '../proc.ts'
import { round } from '../stats.ts'
import { runIngest, type IngestResult } from './ingest.ts'

export interface RssResult {
  pointsTarget: number
  idleRssMb: number
  peakSampledRssMb: number
  vmHwmMb: number
  finalRssMb: number
  /** Sum of VmRSS over the wrapper processes (tsx launcher, esbuild), not counted above. */
  wrapperRssMb: number
  samples: number
  /** VmRSS at every 10% of the ingest, MB. */
  rssCurveMb: number[]
  ingest: IngestResult
  /** Set when the server process ended by itself during the phase. */
  serverDied?: string
}

export async function runRss(
  port: number,
  servingPid: number,
  allPids: number[],
  points: number,
  limitMs: number,
  dbRoot?: number,
): Promise<RssResult> {
  const http = new HttpClient(port, 1)
  const experimentId = await createExperiment(http, 'bench-rss')
  http.close()
  const idle = memStatus(servingPid)
  const series: { t: number; rss: number }[] = []
  let peak = idle?.rssMb ?? 0
  const t0 = performance.now()
  const timer = setInterval(() => {
    const s = memStatus(servingPid)
    if (!s) return
    series.push({ t: performance.now() - t0, rss: s.rssMb })
    if (s.rssMb > peak) peak = s.rssMb
  }, 100)
  let ingest: IngestResult
  try {
    ingest = await runIngest({
      port,
      experimentId,
      clients: 8,
      keys: 10,
      stepsPerKey: 100,
      durationMs: limitMs,
      maxPoints: points,
      serverPids: allPids,
      dbRoot,
      label: 'rss',
    })
  } finally {
    clearInterval(timer)
  }
  const end = memStatus(servingPid)
  const total = performance.now() - t0
  const curve = Array.from({ length: 10 }, (_, k) => {
    const at = ((k + 1) / 10) * total
    const s = series.findLast((x) => x.t <= at)
    return round(s?.rss ?? Number.NaN, 1)
  })
  const wrapper = allPids
    .filter((pid) => pid !== servingPid)
    .reduce((sum, pid) => sum + (memStatus(pid)?.rssMb ?? 0), 0)
  return {
    pointsTarget: points,
    idleRssMb: round(idle?.rssMb ?? Number.NaN, 1),
    peakSampledRssMb: round(Math.max(peak, end?.rssMb ?? 0), 1),
    vmHwmMb: round(end?.hwmMb ?? Number.NaN, 1),
    finalRssMb: round(end?.rssMb ?? Number.NaN, 1),
    wrapperRssMb: round(wrapper, 1),
    samples: series.length,
    rssCurveMb: curve,
    ingest,
  }
}
