import type { StoreContext } from './context.ts'
import { readPoints } from './metric-chunks.ts'
import { comparePoints, pick, sortByTime, type Points } from './point-chunks.ts'
import { pointBuckets, type Buckets, type SeriesRef } from './sampled-buckets.ts'

/** Point i before point j in (timestamp, step, value) order. */
const byTime = (p: Points, i: number, q: Points, j: number) =>
  comparePoints(p.timestamp[i] as number, p.step[i] as number, p.value[i] as number, q.timestamp[j] as number, q.step[j] as number, q.value[j] as number)

/**
 * One series on the timestamp axis, from every point of the series (the chunks are ordered by
 * step, so a time range is not a step range): buckets of equal time, each at its first timestamp,
 * its last value the point with the greatest (timestamp, step, value). Measured in
 * bench/ui-queries.ts; ordered series take sampled-ordered-time.ts instead.
 */
export async function sampleByTimestamp(ctx: StoreContext, s: SeriesRef): Promise<Buckets> {
  const all = await readPoints(ctx, s.runId, s.keyId)
  const inside: number[] = []
  let lo = Infinity
  let hi = -Infinity
  for (let i = 0; i < all.length; i++) {
    const t = all.timestamp[i] as number
    if ((s.minX !== undefined && t < s.minX) || (s.maxX !== undefined && t > s.maxX)) continue
    inside.push(i)
    if (t < lo) lo = t
    if (t > hi) hi = t
  }
  const p = inside.length === all.length ? all : pick(all, inside)
  if (p.length <= s.buckets) {
    const sorted = sortByTime(p)
    return pointBuckets(sorted, sorted.timestamp)
  }
  const from = s.minX ?? lo
  const span = (s.maxX ?? hi) - from + 1
  const n = new Map<number, { x: number; n: number; mn: number; mx: number; last: number }>()
  for (let i = 0; i < p.length; i++) {
    const t = p.timestamp[i] as number
    const b = Math.floor(((t - from) * s.buckets) / span)
    const v = p.value[i] as number
    const e = n.get(b)
    if (!e) {
      n.set(b, { x: t, n: 1, mn: v, mx: v, last: i })
      continue
    }
    e.n++
    if (t < e.x) e.x = t
    // NaN marks no finite value so far; NaN points are left out of min and max.
    if (v === v) {
      if (e.mn !== e.mn || v < e.mn) e.mn = v
      if (e.mx !== e.mx || v > e.mx) e.mx = v
    }
    if (byTime(p, i, p, e.last) > 0) e.last = i
  }
  const out: Buckets = { total_points: 0, sampled: true, x: [], min: [], max: [], last: [], count: [] }
  for (const b of [...n.keys()].sort((a, c) => a - c)) {
    const e = n.get(b) as { x: number; n: number; mn: number; mx: number; last: number }
    out.total_points += e.n
    out.x.push(e.x)
    out.min.push(e.mn)
    out.max.push(e.mx)
    out.last.push(p.value[e.last] as number)
    out.count.push(e.n)
  }
  return out
}
