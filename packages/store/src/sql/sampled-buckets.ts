import type { CompiledQuery } from 'kysely'
import type { SampledSeries } from '../ui-queries.ts'
import type { StoreContext } from './context.ts'
import type { Points } from './point-chunks.ts'

/**
 * A series' buckets as parallel arrays. `firstTime` (internal, never answered): the smallest
 * timestamp at each x where the block summaries know it, NaN elsewhere; the wall-time axis takes its
 * x positions from it (sampled-ordered-time.ts).
 */
export type Buckets = Omit<SampledSeries, 'run_id' | 'metric_key'> & { firstTime?: number[] }

/** One series and its x range. */
export interface SeriesRef {
  runId: number
  keyId: number
  buckets: number
  minX?: number
  maxX?: number
}

/** Buckets holding one raw point each, x the step (or `x[i]` when given). */
export function pointBuckets(p: Points, x?: ArrayLike<number>): Buckets {
  const n = p.length
  const out: Buckets = { total_points: n, sampled: false, x: new Array<number>(n), min: new Array<number>(n), max: new Array<number>(n), last: new Array<number>(n), count: new Array<number>(n).fill(1) }
  for (let i = 0; i < n; i++) {
    const v = p.value[i] as number
    out.x[i] = x ? (x[i] as number) : (p.step[i] as number)
    out.min[i] = v
    out.max[i] = v
    out.last[i] = v
  }
  return out
}

/** The first row of a small query, as an array (selectArrays reuses its prepared statement). */
export async function firstRow(ctx: StoreContext, q: { compile(): CompiledQuery }): Promise<unknown[] | undefined> {
  return (await ctx.adapter.selectArrays(ctx.db, q.compile()))[0]
}
