import { METRIC_BLOCK } from '../migrations/0006-metric-blocks.ts'
import { COARSE_FACTOR } from '../migrations/0007-metric-blocks-coarse.ts'
import { pageBuckets } from './block-pages.ts'
import type { StoreContext } from './context.ts'
import { blockBuckets } from './sampled-block-buckets.ts'
import type { Buckets, SeriesRef } from './sampled-buckets.ts'
import { rangeSums, type RangeSum } from './sampled-ranges.ts'

/**
 * Blocks a bucket must span before buckets are built from metric_blocks instead of points. At 2 a
 * response keeps at least half the asked-for buckets; a chart 1,300 pixels wide over 1,000,000 steps
 * (770 steps a bucket, 3 blocks) takes the block path (at 4 it read every point: 13 s for 50 runs).
 */
export const MIN_BLOCKS_PER_BUCKET = 2

/**
 * Bucket width for [lo, hi] in `buckets` buckets when they are whole blocks: a multiple of the
 * block, buckets aligned to multiples of the width (at most `buckets` of them over the range);
 * undefined when a bucket would span fewer than MIN_BLOCKS_PER_BUCKET blocks (use the points).
 */
export function snappedWidth(lo: number, hi: number, buckets: number): number | undefined {
  if (buckets < 2) return undefined
  const k = Math.ceil((hi - lo + 1) / ((buckets - 1) * METRIC_BLOCK))
  if (k < MIN_BLOCKS_PER_BUCKET) return undefined
  // Whole coarse blocks read a quarter of the rows; take them when that costs at most a quarter of
  // the buckets (3 -> 4 blocks: a 1,300-pixel chart over 1,000,000 steps gets 977 buckets).
  const coarse = Math.ceil(k / COARSE_FACTOR) * COARSE_FACTOR
  return (coarse * 3 <= k * 4 ? coarse : k) * METRIC_BLOCK
}

/**
 * Whole blocks [first, end) in buckets of k blocks: from the coarse level when k is a multiple of
 * its factor and the range's ends fall on coarse boundaries (an open end, without minX/maxX, lies
 * beyond the series' data, so it can be widened to one), else from the fine blocks.
 */
function wholeBlocks(ctx: StoreContext, s: SeriesRef, first: number, end: number, k: number) {
  const f = COARSE_FACTOR
  const from = s.minX === undefined ? Math.floor(first / f) * f : first
  const to = s.maxX === undefined ? Math.ceil(end / f) * f : end
  if (k % f !== 0 || from % f !== 0 || to % f !== 0) return blockBuckets(ctx, s, first, end, k)
  return pageBuckets(ctx, s, from / f, to / f, k / f)
}

/** Partial edge blocks of the range summed from the points (at most two blocks of them); sampled buckets merge them in. */
async function edges(ctx: StoreContext, s: SeriesRef, lo: number, hi: number, first: number, end: number): Promise<RangeSum[]> {
  const ranges: [number, number][] = []
  if (lo < first * METRIC_BLOCK) ranges.push([lo, Math.min(hi, first * METRIC_BLOCK - 1)])
  if (hi >= end * METRIC_BLOCK && end * METRIC_BLOCK > lo) ranges.push([end * METRIC_BLOCK, hi])
  if (ranges.length === 0) return []
  return (await rangeSums(ctx, s.runId, s.keyId, ranges)).filter((r): r is RangeSum => r !== undefined)
}

/**
 * Buckets of width `width` (whole blocks) over [lo, hi]: the whole blocks summed per bucket in SQL
 * from metric_blocks (one index range of (run_id, key_id, block) per series), plus the points of at
 * most two partial edge blocks, merged into the first and last bucket (or buckets of their own). A
 * bucket's last is the last point of its greatest piece (pieces never overlap in steps).
 */
export async function aggregateBlocks(ctx: StoreContext, s: SeriesRef, lo: number, hi: number, width: number): Promise<Buckets> {
  // First whole block inside [lo, hi] and one past the last. Without minX, lo is the series' first
  // step: its block holds nothing before lo, so it counts as whole (likewise hi and its block).
  const first = s.minX === undefined ? Math.floor(lo / METRIC_BLOCK) : Math.ceil(lo / METRIC_BLOCK)
  const end = s.maxX === undefined ? Math.floor(hi / METRIC_BLOCK) + 1 : Math.floor((hi + 1) / METRIC_BLOCK)
  const [whole, edge] = await Promise.all([
    first < end ? wholeBlocks(ctx, s, first, end, width / METRIC_BLOCK) : Promise.resolve(undefined),
    edges(ctx, s, lo, hi, first, end),
  ])
  const nan = (v: number | null) => v ?? Number.NaN
  const out: Buckets = {
    total_points: 0,
    sampled: true,
    x: whole?.x ?? [],
    min: whole?.mn ?? [],
    max: whole?.mx ?? [],
    last: whole?.last ?? [],
    count: whole?.n ?? [],
    firstTime: whole?.t,
  }
  for (const n of out.count) out.total_points += n
  // Edge pieces lie before or after every whole block: each joins the first or last bucket, or is one.
  for (const p of edge) {
    out.total_points += p.n
    const front = out.x.length > 0 && p.x < (out.x[0] as number)
    const i = front ? 0 : out.x.length - 1
    if (i < 0 || Math.floor((out.x[i] as number) / width) !== Math.floor(p.x / width)) {
      const at = front ? 0 : out.x.length
      out.x.splice(at, 0, p.x)
      out.min.splice(at, 0, nan(p.mn))
      out.max.splice(at, 0, nan(p.mx))
      out.last.splice(at, 0, nan(p.last))
      out.count.splice(at, 0, p.n)
      out.firstTime?.splice(at, 0, Number.NaN)
      continue
    }
    // NaN marks a bucket with no finite value so far (Math.min would spread it).
    const mn = out.min[i] as number
    const mx = out.max[i] as number
    if (p.mn !== null) out.min[i] = Number.isNaN(mn) ? p.mn : Math.min(mn, p.mn)
    if (p.mx !== null) out.max[i] = Number.isNaN(mx) ? p.mx : Math.max(mx, p.mx)
    if (front) {
      out.x[i] = p.x
      if (out.firstTime) out.firstTime[i] = Number.NaN
    } else out.last[i] = nan(p.last)
    out.count[i] = (out.count[i] as number) + p.n
  }
  return out
}
