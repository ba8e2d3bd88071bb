import { sql, type RawBuilder } from 'kysely'
import type { StoreContext } from './context.ts'
import type { SeriesRef } from './sampled-buckets.ts'

/** A column of a grouped subquery as one JSON array: the one spelling that differs between the dialects. */
function jsonColumn(ctx: StoreContext, column: RawBuilder<unknown>): RawBuilder<unknown> {
  return ctx.adapter.kind === 'postgres' ? sql`json_agg(${column})` : sql`json_group_array(${column})`
}

/** A JSON array as read back: SQLite answers text, node-postgres parses json columns itself. */
const jsonList = (v: unknown): unknown[] => (typeof v === 'string' ? JSON.parse(v) : (v ?? [])) as unknown[]

/** Buckets as parallel arrays in bucket order; NaN where a bucket has no finite min/max or its last point is NaN. */
export interface BucketColumns {
  x: number[]
  n: number[]
  mn: number[]
  mx: number[]
  last: number[]
  /** The smallest timestamp at each x, where known (the coarse pages keep it); NaN otherwise. */
  t?: number[]
}

/** The numbers of a parsed JSON array, in place: null becomes NaN, strings (PostgreSQL's "Infinity") numbers. */
function numbers(list: unknown[]): number[] {
  for (let i = 0; i < list.length; i++) {
    const v = list[i]
    if (typeof v !== 'number') list[i] = v === null || v === undefined ? Number.NaN : Number(v)
  }
  return list as number[]
}

/** A block number as an SQL bigint. */
const big = (n: number) => sql`cast(${n} as bigint)`

/** Blocks per statement when looking up the last point of buckets whose final block is missing. */
const LOOKUP_CHUNK = 500

/**
 * Whole blocks [first, end) of one series summed per bucket of k blocks in SQL from metric_blocks,
 * in bucket order (the coarse level is read from its pages: sql/block-pages.ts). Buckets are aligned to multiples of k: `block - base` is never negative, so integer division is
 * the floor in both dialects. A bucket's last is the last point of its greatest block; in the same
 * scan it is taken from the block at the bucket's final position (or the range's final block), and
 * looked up afterwards only for buckets that lack that block (gaps in sparse series).
 * Each column comes back as one JSON array (the aggregates of one statement see the rows in the same
 * order): reading ~1,300 rows a series into JS, or joining each bucket to its last block, cost more
 * than the aggregation itself (50 series x 1M points).
 */
export async function blockBuckets(
  ctx: StoreContext,
  s: SeriesRef,
  first: number,
  end: number,
  k: number,
): Promise<BucketColumns> {
  if (k === 1) return singleBlocks(ctx, s, first, end)
  const base = Math.floor(first / k) * k
  const finalSlot = sql`(b.block - ${big(base)}) % ${big(k)} = ${big(k - 1)} or b.block = ${big(end - 1)}`
  // Distinct names: node-postgres keys a row's values by column name.
  const columns = ['x', 'n', 'mn', 'mx', 'lb', 'lv'].map((c) => sql`${jsonColumn(ctx, sql.ref(`g.${c}`))} as ${sql.ref(c)}`)
  const q = sql`select ${sql.join(columns)}
    from (select (b.block - ${big(base)}) / ${big(k)} as bucket, min(b.first_step) as x, sum(b.count) as n,
        min(b.min_value) as mn, max(b.max_value) as mx, max(b.block) as lb,
        max(case when ${finalSlot} then (case when b.last_is_nan = 1 then null else b.last_value end) end) as lv
      from metric_blocks b
      where b.run_id = ${s.runId} and b.key_id = ${s.keyId} and b.block >= ${big(first)} and b.block < ${big(end)}
      group by 1) g`
  const [row] = await ctx.adapter.selectArrays(ctx.db, q.compile(ctx.db))
  const [x, n, mn, mx, lb, lv] = (row ?? []).map((v) => numbers(jsonList(v)))
  const out: BucketColumns = { x: x ?? [], n: n ?? [], mn: mn ?? [], mx: mx ?? [], last: lv ?? [] }
  // Buckets whose greatest block is not at the final slot: their last point is looked up.
  const missing = new Map<number, number>() // block -> bucket index
  ;(lb ?? []).forEach((block, i) => {
    if ((block - base) % k !== k - 1 && block !== end - 1) missing.set(block, i)
  })
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
      const at = missing.get(Number(f.block))
      if (at !== undefined) out.last[at] = Number(f.last_is_nan) === 1 ? Number.NaN : Number(f.last_value)
    }
  }
  return inOrder(out)
}

/**
 * Buckets of one block each: the blocks themselves, read as JSON arrays without grouping (the
 * GROUP BY's per-bucket aggregates and last-point case would all be no-ops).
 */
async function singleBlocks(
  ctx: StoreContext,
  s: SeriesRef,
  first: number,
  end: number,
): Promise<BucketColumns> {
  const last = sql`case when b.last_is_nan = 1 then null else b.last_value end`
  const columns = [sql.ref('b.first_step'), sql.ref('b.count'), sql.ref('b.min_value'), sql.ref('b.max_value'), last]
  const names = ['x', 'n', 'mn', 'mx', 'lv']
  const q = sql`select ${sql.join(columns.map((c, i) => sql`${jsonColumn(ctx, c)} as ${sql.ref(names[i]!)}`))}
    from (select * from metric_blocks b
      where b.run_id = ${s.runId} and b.key_id = ${s.keyId} and b.block >= ${big(first)} and b.block < ${big(end)}
      order by b.block) b`
  const [row] = await ctx.adapter.selectArrays(ctx.db, q.compile(ctx.db))
  const [x, n, mn, mx, lv] = (row ?? []).map((v) => numbers(jsonList(v)))
  return inOrder({ x: x ?? [], n: n ?? [], mn: mn ?? [], mx: mx ?? [], last: lv ?? [] })
}

/** SQLite's GROUP BY answers in bucket order, PostgreSQL's hash aggregate may not: sort by x if needed. */
export function inOrder(c: BucketColumns): BucketColumns {
  let sorted = true
  for (let i = 1; i < c.x.length && sorted; i++) sorted = (c.x[i] as number) > (c.x[i - 1] as number)
  if (sorted) return c
  const order = c.x.map((_, i) => i).sort((a, b) => (c.x[a] as number) - (c.x[b] as number))
  const pick = <T>(list: T[]): T[] => order.map((i) => list[i] as T)
  return { x: pick(c.x), n: pick(c.n), mn: pick(c.mn), mx: pick(c.mx), last: pick(c.last) }
}
