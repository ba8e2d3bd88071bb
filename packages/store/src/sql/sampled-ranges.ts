import { METRIC_BLOCK } from '../migrations/0006-metric-blocks.ts'
import type { StoreContext } from './context.ts'
import { readPoints } from './metric-chunks.ts'
import { lowerStep, type Points } from './point-chunks.ts'

/** One step range summed: its first step, point count, min and max (null when every point is NaN) and last value (null = NaN). */
export interface RangeSum {
  x: number
  n: number
  mn: number | null
  mx: number | null
  last: number | null
}

/** Sum points [from, to) of `p` (sorted by step); undefined when empty. */
export function sumPoints(p: Points, from: number, to: number): RangeSum | undefined {
  if (to <= from) return undefined
  let mn: number | null = null
  let mx: number | null = null
  for (let i = from; i < to; i++) {
    const v = p.value[i] as number
    if (v !== v) continue
    if (mn === null || v < mn) mn = v
    if (mx === null || v > mx) mx = v
  }
  const last = p.value[to - 1] as number
  return { x: p.step[from] as number, n: to - from, mn, mx, last: last !== last ? null : last }
}

/**
 * Sums over inclusive step ranges of one series, in the order asked (undefined for an empty
 * range). Ranges less than a block apart are read together, so a run of adjacent buckets is one
 * read of its points and two far-apart edges are two small ones.
 */
export async function rangeSums(ctx: StoreContext, runId: number, keyId: number, ranges: [number, number][]): Promise<(RangeSum | undefined)[]> {
  const order = ranges.map((_, i) => i).sort((a, b) => (ranges[a] as [number, number])[0] - (ranges[b] as [number, number])[0])
  const out = new Array<RangeSum | undefined>(ranges.length)
  for (let i = 0; i < order.length; ) {
    let j = i + 1
    let end = (ranges[order[i] as number] as [number, number])[1]
    while (j < order.length && (ranges[order[j] as number] as [number, number])[0] <= end + METRIC_BLOCK) {
      end = Math.max(end, (ranges[order[j] as number] as [number, number])[1])
      j++
    }
    const p = await readPoints(ctx, runId, keyId, (ranges[order[i] as number] as [number, number])[0], end)
    for (let k = i; k < j; k++) {
      const [a, b] = ranges[order[k] as number] as [number, number]
      out[order[k] as number] = sumPoints(p, lowerStep(p, a), lowerStep(p, b + 1))
    }
    i = j
  }
  return out
}
