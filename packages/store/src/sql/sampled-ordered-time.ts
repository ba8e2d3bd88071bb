import type { StoreContext } from './context.ts'
import { firstRow, rawBuckets, type Buckets, type SeriesRef } from './sampled-buckets.ts'

type Num = number | string | null

/**
 * The timestamp axis of an ordered series (latest_metrics.ordered: timestamps never fall as steps
 * rise), from the step axis's block summaries instead of every point. In such a series the points of
 * a time range are the points of a step range, and every bucket of consecutive steps covers a time
 * range of its own; so the step axis's buckets are exact time buckets, each at x = its first
 * timestamp. The buckets are equal in steps rather than in time (the same when a run logs at a
 * steady pace). A 1,000,000-point series: ~650 ms through sampled-by-timestamp.ts, a few ms here.
 *
 * The caller checks the ordered flag (it reads latest_metrics for the runs anyway). When the range's
 * points fit in the buckets they are the answer, read from the step range (a zoom deep into a long
 * series reads only its own points). Undefined (the caller reads every point) when a bound of the
 * time range falls between two points of one step (no step range holds exactly the range's points).
 */
export async function orderedByTimestamp(
  ctx: StoreContext,
  s: SeriesRef,
  bySteps: (ctx: StoreContext, s: SeriesRef) => Promise<Buckets>,
): Promise<Buckets | undefined> {
  const series = ctx.db.selectFrom('metrics').where('run_id', '=', s.runId).where('key_id', '=', s.keyId)
  // The first point at or after minX and the last at or before maxX, in (step, timestamp) order.
  // Timestamps are not indexed; the block whose last point is the first one past the bound holds
  // the boundary, so the scan stays inside one block.
  const blockPast = async (t: number) =>
    firstRow(ctx, ctx.db.selectFrom('metric_blocks').select(['first_step', 'last_step']).where('run_id', '=', s.runId).where('key_id', '=', s.keyId).where('last_timestamp', '>', t).orderBy('block').limit(1))
  let minStep: number | undefined
  let maxStep: number | undefined
  if (s.minX !== undefined) {
    const block = await blockPast(s.minX - 1)
    if (!block) return rawBuckets([])
    const first = await firstRow(ctx, series.select(['step']).where('step', '>=', Number(block[0])).where('timestamp', '>=', s.minX).orderBy('step').orderBy('timestamp').limit(1))
    if (!first) return rawBuckets([])
    minStep = Number(first[0])
    if (await firstRow(ctx, series.select('step').where('step', '=', minStep).where('timestamp', '<', s.minX).limit(1))) return undefined
  }
  if (s.maxX !== undefined) {
    const block = await blockPast(s.maxX)
    let q = series.select(['step']).where('timestamp', '<=', s.maxX).orderBy('step', 'desc').orderBy('timestamp', 'desc').limit(1)
    if (block) q = q.where('step', '<=', Number(block[1]))
    const last = await firstRow(ctx, q)
    if (!last) return rawBuckets([])
    maxStep = Number(last[0])
    if (await firstRow(ctx, series.select('step').where('step', '=', maxStep).where('timestamp', '>', s.maxX).limit(1))) return undefined
  }
  if (minStep !== undefined && maxStep !== undefined && minStep > maxStep) return rawBuckets([])
  const buckets = await bySteps(ctx, { ...s, minX: minStep, maxX: maxStep })
  if (!buckets.sampled) {
    let raw = series.select(['timestamp', 'value', 'is_nan'])
    if (minStep !== undefined) raw = raw.where('step', '>=', minStep)
    if (maxStep !== undefined) raw = raw.where('step', '<=', maxStep)
    return rawBuckets(await ctx.adapter.selectArrays(ctx.db, raw.orderBy('timestamp').orderBy('step').orderBy('value').compile()))
  }
  // x: each bucket's first step -> the smallest timestamp at that step (its first point's), as the
  // coarse pages gave it with the buckets, else from the points.
  const at = new Map<number, number>()
  buckets.firstTime?.forEach((t, i) => {
    if (!Number.isNaN(t)) at.set(buckets.x[i] as number, t)
  })
  const unknown = buckets.x.filter((step) => !at.has(step))
  for (let i = 0; i < unknown.length; i += 500) {
    const steps = unknown.slice(i, i + 500)
    const q = series.select(['step', (e) => e.fn.min('timestamp').as('t')]).where('step', 'in', steps).groupBy('step')
    for (const [step, t] of (await ctx.adapter.selectArrays(ctx.db, q.compile())) as Num[][]) at.set(Number(step), Number(t))
  }
  return { ...buckets, x: buckets.x.map((step) => at.get(step) as number) }
}
