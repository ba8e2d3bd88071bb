import { CompiledQuery, sql } from 'kysely'
import type { StoreContext } from './context.ts'

/** One row per bucket: [index, first step, count, min, max, last value (null = NaN)]. */
export type RangeRow = [number | string, number | string | null, number | string, number | null, number | null, number | null]

/** Range aggregates per SQLite statement: SQLite caps a compound SELECT at 500 terms. */
const BRANCHES = 100

// One bucket's range aggregate and its last point, both index range scans on the metrics primary
// key (run_id, key_id, step, ...). NaN points (value 0, is_nan 1) are left out of min and max.
const branch = sql`select cast(${0} as bigint) as i, min(m.step) as x, count(*) as n,
  min(case when m.is_nan = 0 then m.value end) as mn, max(case when m.is_nan = 0 then m.value end) as mx,
  (select case when l.is_nan = 1 then null else l.value end from metrics l
    where l.run_id = ${0} and l.key_id = ${0} and l.step >= ${0} and l.step <= ${0}
    order by l.step desc, l.timestamp desc, l.value desc limit 1) as lv
  from metrics m where m.run_id = ${0} and m.key_id = ${0} and m.step >= ${0} and m.step <= ${0}`

const unionTexts = new WeakMap<StoreContext, string>()

/**
 * SQLite: BRANCHES range aggregates joined by UNION ALL per statement, one cached SQL text (padding
 * branches cover an empty range). A join of bucket bounds with GROUP BY would sort every point.
 */
async function unionOfRanges(ctx: StoreContext, runId: number, keyId: number, ranges: [number, number][]): Promise<RangeRow[]> {
  let text = unionTexts.get(ctx)
  if (text === undefined) {
    text = sql.join(Array<typeof branch>(BRANCHES).fill(branch), sql` union all `).compile(ctx.db).sql
    unionTexts.set(ctx, text)
  }
  const rows: unknown[][] = []
  for (let c = 0; c < ranges.length; c += BRANCHES) {
    const params: number[] = []
    for (let i = c; i < c + BRANCHES; i++) {
      const [a, b] = ranges[i] ?? [1, 0]
      params.push(i, runId, keyId, a, b, runId, keyId, a, b)
    }
    rows.push(...(await ctx.adapter.selectArrays(ctx.db, CompiledQuery.raw(text, params))))
  }
  return rows as RangeRow[]
}

/**
 * PostgreSQL: the same range aggregates as one LATERAL join over the bucket bounds, a single
 * statement. Measured: planning a 100-branch UNION ALL takes PostgreSQL 50-170 ms, which made a
 * 100,000-point series cost over a second.
 */
async function lateralRanges(ctx: StoreContext, runId: number, keyId: number, ranges: [number, number][]): Promise<RangeRow[]> {
  const q = sql`select b.i, s.x, s.n, s.mn, s.mx,
    (select case when l.is_nan = 1 then null else l.value end from metrics l
      where l.run_id = ${runId} and l.key_id = ${keyId} and l.step >= b.lo and l.step <= b.hi
      order by l.step desc, l.timestamp desc, l.value desc limit 1) as lv
    from unnest(cast(${ranges.map((r) => r[0])} as bigint[]), cast(${ranges.map((r) => r[1])} as bigint[]))
      with ordinality as b(lo, hi, i)
    cross join lateral (select min(m.step) as x, count(*) as n,
      min(case when m.is_nan = 0 then m.value end) as mn, max(case when m.is_nan = 0 then m.value end) as mx
      from metrics m where m.run_id = ${runId} and m.key_id = ${keyId} and m.step >= b.lo and m.step <= b.hi) s`
  return (await ctx.adapter.selectArrays(ctx.db, q.compile(ctx.db))) as RangeRow[]
}

/**
 * Range aggregates over inclusive step ranges of one series, each an index range scan; the one
 * place the two dialects need different SQL for speed (see the two functions).
 */
export function rangeAggregates(ctx: StoreContext, runId: number, keyId: number, ranges: [number, number][]): Promise<RangeRow[]> {
  return ctx.adapter.kind === 'postgres' ? lateralRanges(ctx, runId, keyId, ranges) : unionOfRanges(ctx, runId, keyId, ranges)
}
