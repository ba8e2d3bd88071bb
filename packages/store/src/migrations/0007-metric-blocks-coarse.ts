import { sql, type Kysely, type RawBuilder } from 'kysely'
import type { DialectAdapter } from '../dialect/dialect-adapter.ts'

/** metric_blocks rows per coarse block: a coarse block covers COARSE_FACTOR x METRIC_BLOCK steps. */
export const COARSE_FACTOR = 4

/** The coarse block of a fine block, as SQL: floor division in both dialects (their `/` truncates). */
export function coarseOf(block: RawBuilder<unknown>): RawBuilder<unknown> {
  const f = sql.raw(String(COARSE_FACTOR))
  return sql`((${block}) - ((((${block}) % ${f}) + ${f}) % ${f})) / ${f}`
}

/**
 * `metric_blocks_coarse`: the same summaries as `metric_blocks` (migration 0006) over blocks of
 * COARSE_FACTOR fine blocks (1,024 steps), derived from the fine rows on every write
 * (sql/metric-blocks.ts). A chart over a long series reads a quarter of the rows: 977 instead of
 * 3,906 a series for 1,000,000 steps. Same columns and key; backfilled from metric_blocks.
 */
export async function up(db: Kysely<unknown>, adapter: DialectAdapter): Promise<void> {
  let t = db.schema
    .createTable('metric_blocks_coarse')
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
    .addPrimaryKeyConstraint('metric_blocks_coarse_pk', ['run_id', 'key_id', 'block'])
  if (adapter.tableSuffix) t = t.modifyEnd(adapter.tableSuffix)
  await t.execute()
  await sql`insert into metric_blocks_coarse ${COARSE_COLUMNS} ${coarseSelect(sql`true`)}`.execute(db)
}

export const COARSE_COLUMNS = sql`(run_id, key_id, block, first_step, min_value, max_value, count,
  last_step, last_timestamp, last_value, last_is_nan)`

/**
 * Coarse rows computed from the fine rows that match `where` (a condition on metric_blocks columns,
 * whole coarse blocks only). A coarse block's last point is the last point of its greatest fine
 * block: blocks partition the steps, and the latest point has the greatest step. (The final
 * `where true` lets SQLite parse an upsert's ON CONFLICT after the join's ON.)
 */
export function coarseSelect(where: RawBuilder<unknown>): RawBuilder<unknown> {
  const cb = coarseOf(sql.ref('block'))
  return sql`select g.run_id, g.key_id, g.cblock, g.first_step, g.mn, g.mx, g.n,
      l.last_step, l.last_timestamp, l.last_value, l.last_is_nan
    from (select run_id, key_id, ${cb} as cblock, min(first_step) as first_step, min(min_value) as mn,
        max(max_value) as mx, sum(count) as n, max(block) as top
      from metric_blocks where ${where} group by run_id, key_id, ${cb}) g
    join metric_blocks l on l.run_id = g.run_id and l.key_id = g.key_id and l.block = g.top
    where true`
}
