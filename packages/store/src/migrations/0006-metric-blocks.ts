import { sql, type Kysely } from 'kysely'
import type { DialectAdapter } from '../dialect/dialect-adapter.ts'

/** Steps per block of `metric_blocks`; a power of two. Changing it needs a new migration (rebuild). */
export const METRIC_BLOCK = 256

/**
 * Per-block summaries of every metric series, maintained on write (sql/metric-blocks.ts) so the
 * sampled-metrics route can answer wide step ranges from a few rows per bucket instead of reading
 * every point. block = floor(step / METRIC_BLOCK); first_step is the smallest step present (the
 * bucket's x); min/max skip NaN (null when the block is all NaN); count is the number of stored
 * points; last_* is the point with the greatest (step, timestamp, value), MLflow's latest rule.
 * SQLite: WITHOUT ROWID like `metrics`. Backfilled from the existing points.
 */
export async function up(db: Kysely<unknown>, adapter: DialectAdapter): Promise<void> {
  let t = db.schema
    .createTable('metric_blocks')
    .addColumn('run_id', 'bigint', (c) => c.notNull())
    .addColumn('key_id', 'bigint', (c) => c.notNull())
    .addColumn('block', 'bigint', (c) => c.notNull())
    .addColumn('first_step', 'bigint', (c) => c.notNull())
    .addColumn('min_value', 'double precision')
    .addColumn('max_value', 'double precision')
    .addColumn('count', 'bigint', (c) => c.notNull())
    .addColumn('last_step', 'bigint', (c) => c.notNull())
    .addColumn('last_timestamp', 'bigint', (c) => c.notNull())
    .addColumn('last_value', 'double precision', (c) => c.notNull())
    .addColumn('last_is_nan', 'smallint', (c) => c.notNull())
    .addPrimaryKeyConstraint('metric_blocks_pk', ['run_id', 'key_id', 'block'])
  if (adapter.tableSuffix) t = t.modifyEnd(adapter.tableSuffix)
  await t.execute()
  // Floor division in both dialects (their `/` and `%` truncate toward zero): step minus its
  // non-negative remainder is a multiple of the block, so the division is exact.
  const b = sql.raw(String(METRIC_BLOCK))
  const block = sql`(step - (((step % ${b}) + ${b}) % ${b})) / ${b}`
  await sql`insert into metric_blocks (run_id, key_id, block, first_step, min_value, max_value, count,
      last_step, last_timestamp, last_value, last_is_nan)
    select g.run_id, g.key_id, g.block, g.first_step, g.mn, g.mx, g.n, l.step, l.timestamp, l.value, l.is_nan
    from (select run_id, key_id, ${block} as block, min(step) as first_step, count(*) as n,
        min(case when is_nan = 0 then value end) as mn, max(case when is_nan = 0 then value end) as mx
      from metrics group by 1, 2, 3) g
    join (select run_id, key_id, ${block} as block, step, timestamp, value, is_nan,
        row_number() over (partition by run_id, key_id, ${block}
          order by step desc, timestamp desc, value desc, is_nan desc) as rn
      from metrics) l
      on l.run_id = g.run_id and l.key_id = g.key_id and l.block = g.block and l.rn = 1`.execute(db)
}
