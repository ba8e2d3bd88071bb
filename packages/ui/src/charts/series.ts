import { SAMPLED_BINARY_TYPE, decodeSampledBinary, type DecodedSampled } from '@logbook/core/sampled-binary'
import { logbook } from '../api.ts'

/** x-axis of a chart: step, wall time, time since the run started, or another metric paired by step. */
export type XMode = 'step' | 'time' | 'relative' | `metric:${string}`

/** A run drawn on a chart. */
export interface ChartRun {
  id: string
  name: string
  color: string
  /** Run start (epoch ms), the origin of the relative x-axis; undefined while the run loads. */
  startTime: number | undefined
}

/** One run's points of one metric; `min`/`max` differ from `last` only where points were aggregated. */
export interface RunSeries {
  runId: string
  sampled: boolean
  totalPoints: number
  x: number[]
  last: number[]
  min: number[]
  max: number[]
}

/** Results are kept so a chart that scrolls out and back in does not fetch again. */
const cache = new Map<string, RunSeries[]>()
const CACHE_LIMIT = 400
const MAX_RUNS_PER_REQUEST = 100

interface SampledBody {
  run_ids: string[]
  metric_key: string
  x_axis: 'step' | 'timestamp'
  buckets: number
  min_x?: number
  max_x?: number
}

/** The request public/chart-preload.js started while the bundle loaded (a /charts address). */
interface Preload {
  body: SampledBody
  /** The binary answer (core/sampled-binary.ts); null when the request failed. */
  response: Promise<ArrayBuffer | null>
}

/**
 * The preloaded answer when it is the request `body` would make, give or take the bucket count
 * (the preload estimates the chart's width from the CSS; within -10%..+25% is still about one
 * bucket per pixel). Only the page's first series request may take it (a later one could get
 * stale data); undefined otherwise or when it failed, and the chart asks itself.
 */
export async function takePreload(body: SampledBody): Promise<DecodedSampled[] | undefined> {
  const holder = globalThis as { __logbookPreload?: Preload }
  const pre = holder.__logbookPreload
  holder.__logbookPreload = undefined
  if (!pre || body.min_x !== undefined || body.max_x !== undefined || body.x_axis !== pre.body.x_axis) return undefined
  if (body.metric_key !== pre.body.metric_key || body.run_ids.join(',') !== pre.body.run_ids.join(',')) return undefined
  if (pre.body.buckets < body.buckets * 0.9 || pre.body.buckets > body.buckets * 1.25) return undefined
  const bytes = await pre.response
  try {
    return bytes ? decodeSampledBinary(bytes) : undefined
  } catch {
    return undefined
  }
}

/** POST logbook/metrics/sampled: downsampled series of `key` for many runs, optionally in an x range. */
export async function fetchSampled(
  runIds: string[],
  key: string,
  xAxis: 'step' | 'timestamp',
  range: readonly [number, number] | undefined,
  buckets: number,
  signal: AbortSignal,
): Promise<RunSeries[]> {
  const body: SampledBody = {
    run_ids: runIds,
    metric_key: key,
    x_axis: xAxis,
    buckets,
    ...(range ? { min_x: range[0], max_x: range[1] } : {}),
  }
  const cacheKey = JSON.stringify(body)
  const hit = cache.get(cacheKey)
  if (hit) return hit
  // The route takes at most 100 runs per request.
  const chunks: string[][] = []
  for (let i = 0; i < runIds.length; i += MAX_RUNS_PER_REQUEST)
    chunks.push(runIds.slice(i, i + MAX_RUNS_PER_REQUEST))
  const preloaded = chunks.length === 1 ? await takePreload(body) : undefined
  const answers = preloaded
    ? [preloaded]
    : await Promise.all(
        chunks.map(async (ids) =>
          decodeSampledBinary(await logbook.postBytes('metrics/sampled', { ...body, run_ids: ids }, SAMPLED_BINARY_TYPE, signal)),
        ),
      )
  const series = answers.flat().map(
    (s): RunSeries => ({
      runId: s.run_id,
      sampled: s.sampled,
      totalPoints: s.total_points,
      x: Array.from(s.x),
      last: Array.from(s.last),
      min: Array.from(s.min),
      max: Array.from(s.max),
    }),
  )
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!)
  cache.set(cacheKey, series)
  return series
}

/** Forget cached series (after new points may have been logged). */
export function clearSeriesCache(): void {
  cache.clear()
}

/** Series with x in chart units: step as is, wall time and relative time in seconds. */
function shiftX(series: RunSeries, offsetMs: number, scale: number): RunSeries {
  return { ...series, x: series.x.map((x) => (x - offsetMs) / scale) }
}

/** Pair `ys` (the charted metric) with `xs` (the x metric) at equal steps, sorted by the x metric. */
export function pairByStep(ys: RunSeries, xs: RunSeries): RunSeries {
  const byStep = new Map<number, number>()
  xs.x.forEach((step, i) => byStep.set(step, xs.last[i]!))
  const points: [number, number, number, number][] = []
  ys.x.forEach((step, i) => {
    const x = byStep.get(step)
    if (x !== undefined && Number.isFinite(x)) points.push([x, ys.last[i]!, ys.min[i]!, ys.max[i]!])
  })
  points.sort((a, b) => a[0] - b[0])
  return {
    runId: ys.runId,
    sampled: false,
    totalPoints: points.length,
    x: points.map((p) => p[0]),
    last: points.map((p) => p[1]),
    min: points.map((p) => p[2]),
    max: points.map((p) => p[3]),
  }
}

/**
 * Everything one chart needs for its x mode. `range` is the zoomed x range in chart units; in
 * relative mode it is shifted per run into that run's timestamps (one request per run).
 */
export async function loadChartSeries(
  runs: ChartRun[],
  key: string,
  mode: XMode,
  range: readonly [number, number] | undefined,
  buckets: number,
  signal: AbortSignal,
): Promise<RunSeries[]> {
  const ids = runs.map((r) => r.id)
  if (mode === 'step') return fetchSampled(ids, key, 'step', range, buckets, signal)
  if (mode === 'time') {
    const ms = range ? ([range[0] * 1000, range[1] * 1000] as const) : undefined
    return (await fetchSampled(ids, key, 'timestamp', ms, buckets, signal)).map((s) =>
      shiftX(s, 0, 1000),
    )
  }
  if (mode === 'relative') {
    if (!range) {
      const all = await fetchSampled(ids, key, 'timestamp', undefined, buckets, signal)
      return all.map((s) => shiftX(s, runs.find((r) => r.id === s.runId)?.startTime ?? 0, 1000))
    }
    const perRun = await Promise.all(
      runs.map(async (run) => {
        const start = run.startTime ?? 0
        const ms = [start + range[0] * 1000, start + range[1] * 1000] as const
        return (await fetchSampled([run.id], key, 'timestamp', ms, buckets, signal)).map((s) =>
          shiftX(s, start, 1000),
        )
      }),
    )
    return perRun.flat()
  }
  const xKey = mode.slice('metric:'.length)
  const [ys, xs] = await Promise.all([
    fetchSampled(ids, key, 'step', undefined, buckets, signal),
    fetchSampled(ids, xKey, 'step', undefined, buckets, signal),
  ])
  return ys.flatMap((y) => {
    const x = xs.find((s) => s.runId === y.runId)
    return x ? [pairByStep(y, x)] : []
  })
}

/** Exponential moving average with TensorBoard's bias correction; non-finite points pass through. */
export function smooth(values: number[], weight: number): number[] {
  if (weight <= 0) return values
  let acc = 0
  let n = 0
  return values.map((v) => {
    if (!Number.isFinite(v)) return v
    acc = acc * weight + (1 - weight) * v
    n++
    return acc / (1 - weight ** n)
  })
}
