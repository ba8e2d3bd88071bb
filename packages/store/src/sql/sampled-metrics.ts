import type { SampledMetricsQuery, SampledSeries } from '../ui-queries.ts'
import type { StoreContext } from './context.ts'
import { aggregateBlocks, snappedWidth } from './sampled-blocks.ts'
import { blockOfStep, readPoints } from './metric-chunks.ts'
import { emptyPoints } from './point-chunks.ts'
import { firstRow, pointBuckets, type Buckets, type SeriesRef } from './sampled-buckets.ts'
import { sampleByTimestamp } from './sampled-by-timestamp.ts'
import { orderedByTimestamp } from './sampled-ordered-time.ts'
import { rangeSums } from './sampled-ranges.ts'
import { metricKeyIds } from './ui-run-scope.ts'

/** Equal step ranges over [lo, hi] summed from the points (one read of the range's chunks). */
async function aggregateSteps(ctx: StoreContext, s: SeriesRef, lo: number, hi: number): Promise<Buckets> {
  const span = hi - lo + 1
  const ranges: [number, number][] = []
  for (let i = 0; i < s.buckets; i++) {
    const a = lo + Math.ceil((i * span) / s.buckets)
    const b = lo + Math.ceil(((i + 1) * span) / s.buckets) - 1
    if (a <= b) ranges.push([a, b])
  }
  const out: Buckets = { total_points: 0, sampled: true, x: [], min: [], max: [], last: [], count: [] }
  for (const r of await rangeSums(ctx, s.runId, s.keyId, ranges)) {
    if (!r) continue
    out.total_points += r.n
    out.x.push(r.x)
    out.min.push(r.mn ?? Number.NaN)
    out.max.push(r.mx ?? Number.NaN)
    out.last.push(r.last ?? Number.NaN)
    out.count.push(r.n)
  }
  return out
}

/** Points of blocks [first, last] (either open), summed over at most `cap` blocks in SQL. */
async function blockPoints(ctx: StoreContext, s: SeriesRef, first: number | undefined, last: number | undefined, cap: number): Promise<number> {
  if (first !== undefined && last !== undefined && first > last) return 0
  let q = ctx.db.selectFrom('metric_blocks').select('count').where('run_id', '=', s.runId).where('key_id', '=', s.keyId)
  if (first !== undefined) q = q.where('block', '>=', first)
  if (last !== undefined) q = q.where('block', '<=', last)
  const row = await firstRow(ctx, ctx.db.selectFrom(q.orderBy('block').limit(cap).as('b')).select((e) => e.fn.sum<number>('count').as('n')))
  return Number(row?.[0] ?? 0)
}

/**
 * One series on the step axis: raw points when they fit in the buckets, else range sums over the
 * points, or, when a bucket spans MIN_BLOCKS_PER_BUCKET blocks or more, block summaries.
 */
async function sampleBySteps(ctx: StoreContext, s: SeriesRef): Promise<Buckets> {
  // Whether the raw points are the answer: metric_blocks counts the blocks wholly inside the range
  // (every block holds a point, so buckets + 1 of them are enough to know). When those fit, the
  // range holds at most two more blocks (the edges of a bounded range): its points are read once
  // and counted exactly.
  // A window between two integer steps (the route rounds min_x up and max_x down) holds no point.
  if (s.minX !== undefined && s.maxX !== undefined && s.minX > s.maxX) return pointBuckets(emptyPoints())
  const inner = await blockPoints(ctx, s, s.minX === undefined ? undefined : blockOfStep(s.minX) + 1, s.maxX === undefined ? undefined : blockOfStep(s.maxX) - 1, s.buckets + 1)
  if (inner <= s.buckets) {
    const points = await readPoints(ctx, s.runId, s.keyId, s.minX, s.maxX)
    if (points.length <= s.buckets) return pointBuckets(points)
  }
  const ends = async (dir: 'asc' | 'desc') =>
    firstRow(ctx, ctx.db.selectFrom('metric_blocks').select(['first_step', 'last_step']).where('run_id', '=', s.runId).where('key_id', '=', s.keyId).orderBy('block', dir).limit(1))
  const lo = s.minX ?? Number((await ends('asc'))?.[0])
  const hi = s.maxX ?? Number((await ends('desc'))?.[1])
  // Wide buckets are whole blocks summed from metric_blocks; narrow ones are read from the points.
  const width = snappedWidth(lo, hi, s.buckets)
  return width === undefined ? aggregateSteps(ctx, s, lo, hi) : aggregateBlocks(ctx, s, lo, hi, width)
}

/**
 * metrics/sampled: one downsampled series per run that has the metric, in request order.
 * `yieldBetween: false` (the write thread) reads all series in one go, so no write can start between them.
 */
export async function sampledMetrics(ctx: StoreContext, q: SampledMetricsQuery, { yieldBetween = true } = {}): Promise<SampledSeries[]> {
  const keyId = (await metricKeyIds(ctx, [q.metricKey])).get(q.metricKey)
  const uuids = [...new Set(q.runIds)]
  if (keyId === undefined || uuids.length === 0) return []
  const runs = await ctx.db
    .selectFrom('runs')
    .innerJoin('latest_metrics', 'latest_metrics.run_id', 'runs.id')
    .select(['runs.id', 'runs.run_uuid', 'latest_metrics.ordered'])
    .where('runs.run_uuid', 'in', uuids)
    .where('latest_metrics.key_id', '=', keyId)
    .execute()
  const byUuid = new Map(runs.map((r) => [r.run_uuid, r]))
  const out: SampledSeries[] = []
  for (const uuid of uuids) {
    const run = byUuid.get(uuid)
    if (!run) continue
    // SQLite answers synchronously: between series, let the server's other requests (the UI's
    // bundle, runs/get) move, or 50 series x 1M points hold them all for the whole request.
    if (yieldBetween && out.length > 0) await new Promise((resolve) => setImmediate(resolve))
    const ref: SeriesRef = { runId: run.id, keyId, buckets: q.buckets, minX: q.minX, maxX: q.maxX }
    const buckets =
      q.xAxis === 'step'
        ? await sampleBySteps(ctx, ref)
        : ((Number(run.ordered) === 1 ? await orderedByTimestamp(ctx, ref, sampleBySteps) : undefined) ?? (await sampleByTimestamp(ctx, ref)))
    // The answer's fields only (not the internal firstTime).
    const { total_points, sampled, x, min, max, last, count } = buckets
    out.push({ run_id: uuid, metric_key: q.metricKey, total_points, sampled, x, min, max, last, count })
  }
  return out
}
