import { sql, type RawBuilder } from 'kysely'
import type { StoreContext } from './context.ts'
import type { SeriesRef } from './sampled-buckets.ts'

/** A piece of a bucket (whole blocks summed, or a partial edge block's points); x is its first step. */
export interface Piece {
  x: number
  n: number
  mn: number | null
  mx: number | null
  /** The piece's last point; null when it is NaN. */
  last: number | null
}

/** A number as read back (PostgreSQL's json spells non-finite doubles as strings); null stays null. */
export const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v))

/** Rows of a grouped subquery as one JSON array of arrays: the one spelling that differs between the dialects. */
function jsonRows(ctx: StoreContext, columns: RawBuilder<unknown>): RawBuilder<unknown> {
  return ctx.adapter.kind === 'postgres' ? sql`json_agg(json_build_array(${columns}))` : sql`json_group_array(json_array(${columns}))`
}

/** Blocks per statement when looking up the last point of buckets whose final block is missing. */
const LOOKUP_CHUNK = 500

/**
 * Whole blocks [first, end) of one series summed per bucket of k blocks in SQL, in bucket order.
 * Buckets are aligned to multiples of k: `block - base` is never negative, so integer division is
 * the floor in both dialects. A bucket's last is the last point of its greatest block; in the same
 * scan it is taken from the block at the bucket's final position (or the range's final block), and
 * looked up afterwards only for buckets that lack that block (gaps in sparse series).
 * The buckets come back as one JSON value: reading ~1,300 rows a series into JS, or joining each
 * bucket to its last block, cost more than the aggregation itself (50 series x 1M points).
 */
export async function blockBuckets(ctx: StoreContext, s: SeriesRef, first: number, end: number, k: number): Promise<Piece[]> {
  const base = Math.floor(first / k) * k
  const big = (n: number) => sql`cast(${n} as bigint)`
  const finalSlot = sql`(b.block - ${big(base)}) % ${big(k)} = ${big(k - 1)} or b.block = ${big(end - 1)}`
  const q = sql<{ buckets: unknown }>`select ${jsonRows(ctx, sql`g.x, g.n, g.mn, g.mx, g.lb, g.lv`)} as buckets
    from (select (b.block - ${big(base)}) / ${big(k)} as bucket, min(b.first_step) as x, sum(b.count) as n,
        min(b.min_value) as mn, max(b.max_value) as mx, max(b.block) as lb,
        max(case when ${finalSlot} then (case when b.last_is_nan = 1 then null else b.last_value end) end) as lv
      from metric_blocks b
      where b.run_id = ${s.runId} and b.key_id = ${s.keyId} and b.block >= ${big(first)} and b.block < ${big(end)}
      group by 1) g`
  const [row] = await ctx.adapter.selectArrays(ctx.db, q.compile(ctx.db))
  const json = row?.[0]
  const rows = (typeof json === 'string' ? JSON.parse(json) : (json ?? [])) as unknown[][]
  const pieces: Piece[] = []
  const missing = new Map<number, Piece>() // greatest block -> its bucket, where that block is not at the final slot
  for (const [x, n, mn, mx, lb, lv] of rows) {
    const piece = { x: Number(x), n: Number(n), mn: num(mn), mx: num(mx), last: num(lv) }
    const last = Number(lb)
    if ((last - base) % k !== k - 1 && last !== end - 1) missing.set(last, piece)
    pieces.push(piece)
  }
  const blocks = [...missing.keys()]
  for (let i = 0; i < blocks.length; i += LOOKUP_CHUNK) {
    const found = await ctx.db
      .selectFrom('metric_blocks')
      .select(['block', 'last_value', 'last_is_nan'])
      .where('run_id', '=', s.runId)
      .where('key_id', '=', s.keyId)
      .where('block', 'in', blocks.slice(i, i + LOOKUP_CHUNK))
      .execute()
    for (const f of found) {
      const piece = missing.get(Number(f.block))
      if (piece) piece.last = Number(f.last_is_nan) === 1 ? null : Number(f.last_value)
    }
  }
  // SQLite's GROUP BY answers in bucket order, PostgreSQL's hash aggregate may not.
  for (let i = 1; i < pieces.length; i++) {
    if ((pieces[i] as Piece).x < (pieces[i - 1] as Piece).x) return pieces.sort((a, b) => a.x - b.x)
  }
  return pieces
}
