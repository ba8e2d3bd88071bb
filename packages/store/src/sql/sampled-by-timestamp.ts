import { sql } from 'kysely'
import type { StoreContext } from './context.ts'
import { rawBuckets, type Buckets, type SeriesRef } from './sampled-buckets.ts'

type Num = number | string | null

/**
 * One series on the timestamp axis. The metrics primary key orders points by step, so timestamp
 * ranges are not index seeks: this reads the run's series of the key (one index range) twice,
 * GROUP BY for the buckets, then the points at each bucket's greatest timestamp for `last`.
 * Measured in bench/ui-queries.ts; the step axis is the fast path.
 */
export async function sampleByTimestamp(ctx: StoreContext, s: SeriesRef): Promise<Buckets> {
  const range = sql`m.run_id = ${s.runId} and m.key_id = ${s.keyId}
    ${s.minX === undefined ? sql`` : sql`and m.timestamp >= ${s.minX}`}
    ${s.maxX === undefined ? sql`` : sql`and m.timestamp <= ${s.maxX}`}`
  const { rows: [bounds] } = await sql<{ lo: Num; hi: Num; n: Num }>`select min(m.timestamp) as lo,
    max(m.timestamp) as hi, count(*) as n from metrics m where ${range}`.execute(ctx.db)
  const n = Number(bounds?.n ?? 0)
  if (n <= s.buckets) {
    const q = sql`select m.timestamp, m.value, m.is_nan from metrics m where ${range}
      order by m.timestamp, m.step, m.value`
    return rawBuckets(await ctx.adapter.selectArrays(ctx.db, q.compile(ctx.db)))
  }
  const lo = s.minX ?? Number(bounds?.lo)
  const span = (s.maxX ?? Number(bounds?.hi)) - lo + 1
  // Integer bucket number floor((t - lo) * buckets / span) in both dialects; `group by 1` because
  // PostgreSQL does not match the select's expression to a copy with other parameter numbers.
  const bucket = sql`(m.timestamp - cast(${lo} as bigint)) * cast(${s.buckets} as bigint) / cast(${span} as bigint)`
  const { rows } = await sql<{ b: Num; x: Num; xt: Num; n: Num; mn: number | null; mx: number | null }>`
    select ${bucket} as b, min(m.timestamp) as x, max(m.timestamp) as xt, count(*) as n,
      min(case when m.is_nan = 0 then m.value end) as mn, max(case when m.is_nan = 0 then m.value end) as mx
    from metrics m where ${range} group by 1`.execute(ctx.db)
  rows.sort((a, b) => Number(a.b) - Number(b.b))
  // `last`: the point at the bucket's greatest timestamp; ties go to the greatest (step, value).
  const ends = [...new Set(rows.map((r) => Number(r.xt)))]
  const lastAt = new Map<number, { step: number; value: number; isNan: number }>()
  for (let i = 0; i < ends.length; i += 1000) {
    const q = sql`select m.timestamp, m.step, m.value, m.is_nan from metrics m
      where m.run_id = ${s.runId} and m.key_id = ${s.keyId} and m.timestamp in (${sql.join(ends.slice(i, i + 1000))})`
    for (const [t, step, value, isNan] of (await ctx.adapter.selectArrays(ctx.db, q.compile(ctx.db))) as number[][]) {
      const ts = Number(t)
      const seen = lastAt.get(ts)
      const st = Number(step)
      if (!seen || st > seen.step || (st === seen.step && (value as number) > seen.value)) {
        lastAt.set(ts, { step: st, value: value as number, isNan: isNan as number })
      }
    }
  }
  const out: Buckets = { total_points: 0, sampled: true, x: [], min: [], max: [], last: [], count: [] }
  for (const r of rows) {
    const last = lastAt.get(Number(r.xt))
    out.total_points += Number(r.n)
    out.x.push(Number(r.x))
    out.min.push(r.mn ?? Number.NaN)
    out.max.push(r.mx ?? Number.NaN)
    out.last.push(!last || last.isNan ? Number.NaN : last.value)
    out.count.push(Number(r.n))
  }
  return out
}
