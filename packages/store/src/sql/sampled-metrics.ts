import type { CompiledQuery } from 'kysely'
import type { SampledMetricsQuery, SampledSeries } from '../ui-queries.ts'
import type { StoreContext } from './context.ts'
import { aggregateBlocks, snappedWidth } from './sampled-blocks.ts'
import { firstRow, rawBuckets, type Buckets, type SeriesRef } from './sampled-buckets.ts'
import { sampleByTimestamp } from './sampled-by-timestamp.ts'
import { orderedByTimestamp } from './sampled-ordered-time.ts'
import { rangeAggregates, type RangeRow } from './sampled-range-sql.ts'
import { metricKeyIds } from './ui-run-scope.ts'

/**
 * Equal step ranges over [lo, hi] computed with range aggregates (physical-limits.md §1: ~65 ms
 * per 1M points against ~240 ms for GROUP BY, which sorts every point).
 */
async function aggregateSteps(ctx: StoreContext, s: SeriesRef, lo: number, hi: number): Promise<Buckets> {
  const span = hi - lo + 1
  const ranges: [number, number][] = []
  for (let i = 0; i < s.buckets; i++) {
    const a = lo + Math.ceil((i * span) / s.buckets)
    const b = lo + Math.ceil(((i + 1) * span) / s.buckets) - 1
    if (a <= b) ranges.push([a, b])
  }
  const rows = await rangeAggregates(ctx, s.runId, s.keyId, ranges)
  const out: Buckets = { total_points: 0, sampled: true, x: [], min: [], max: [], last: [], count: [] }
  const sorted = rows.map((r) => [Number(r[0]), ...r.slice(1)] as RangeRow).sort((a, b) => Number(a[0]) - Number(b[0]))
  for (const [, x, n, mn, mx, last] of sorted) {
    const count = Number(n)
    if (count === 0 || x === null) continue
    out.total_points += count
    out.x.push(Number(x))
    out.min.push(mn ?? Number.NaN)
    out.max.push(mx ?? Number.NaN)
    out.last.push(last ?? Number.NaN)
    out.count.push(count)
  }
  return out
}

/**
 * One series on the step axis: raw points when they fit in the buckets, else range aggregates over
 * the points, or, when a bucket spans MIN_BLOCKS_PER_BUCKET blocks or more, block summaries.
 */
async function sampleBySteps(ctx: StoreContext, s: SeriesRef): Promise<Buckets> {
  let base = ctx.db.selectFrom('metrics').where('run_id', '=', s.runId).where('key_id', '=', s.keyId)
  if (s.minX !== undefined) base = base.where('step', '>=', s.minX)
  if (s.maxX !== undefined) base = base.where('step', '<=', s.maxX)
  // Counting at most buckets + 1 points (no rows to JS) tells whether the raw points are the answer.
  // The small queries go through selectArrays: its prepared statements are reused across series.
  const first = async (q: { compile(): CompiledQuery }) => (await firstRow(ctx, q))?.[0]
  const n = await first(ctx.db.selectFrom(base.select('step').limit(s.buckets + 1).as('h')).select((e) => e.fn.countAll().as('n')))
  if (Number(n) <= s.buckets) {
    const raw = base.select(['step', 'value', 'is_nan']).orderBy('step').orderBy('timestamp').orderBy('value')
    return rawBuckets(await ctx.adapter.selectArrays(ctx.db, raw.compile()))
  }
  const lo = s.minX ?? Number(await first(base.select('step').orderBy('step').limit(1)))
  const hi = s.maxX ?? Number(await first(base.select('step').orderBy('step', 'desc').limit(1)))
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
