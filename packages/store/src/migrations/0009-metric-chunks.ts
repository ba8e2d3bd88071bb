import { sql, type Kysely } from 'kysely'
import type { DialectAdapter } from '../dialect/dialect-adapter.ts'
import { allocPoints, encodeChunk } from '../sql/point-chunks.ts'
import { METRIC_BLOCK } from './0006-metric-blocks.ts'

/** Points read per statement while backfilling: a bounded slice of one series in memory. */
const READ_POINTS = 50_000
/** Runs of metric_blocks listed per statement. */
const LIST_RUNS = 500

type Num = number | string

/**
 * `metric_chunks`: metric points stored a chunk to a row instead of a point to a row. A point row
 * cost SQLite ~2.3 ms of B-tree inserts per 1,000-point batch on this machine; the same points as
 * 10-20 rows of packed doubles ~0.85 ms (bench/sqlite-floor.ts --layout rows|chunks), and that
 * insert was the larger part of the write thread's time (docs/benchmarks.md).
 *
 * A row holds the points of one series (run_id, key_id) in one block (the METRIC_BLOCK steps of
 * metric_blocks) written together, distinct and sorted (sql/point-chunks.ts has the format).
 * `seq` is the block's point count before the write (metric_blocks.count): unique, because every
 * chunk adds at least one new point. metric_blocks.chunks counts a block's rows so the writer can
 * compact them (sql/metric-chunks.ts). The backfill writes one chunk a block from `metrics` (seq
 * 0), which is then dropped. SQLite: WITHOUT ROWID like the other metric tables.
 */
export async function up(db: Kysely<unknown>, adapter: DialectAdapter): Promise<void> {
  let t = db.schema
    .createTable('metric_chunks')
    .addColumn('run_id', 'bigint', (c) => c.notNull())
    .addColumn('key_id', 'bigint', (c) => c.notNull())
    .addColumn('block', 'bigint', (c) => c.notNull())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('data', adapter.kind === 'postgres' ? 'bytea' : 'blob', (c) => c.notNull())
    .addPrimaryKeyConstraint('metric_chunks_pk', ['run_id', 'key_id', 'block', 'seq'])
  if (adapter.tableSuffix) t = t.modifyEnd(adapter.tableSuffix)
  await t.execute()
  await db.schema.alterTable('metric_blocks').addColumn('chunks', 'bigint', (c) => c.notNull().defaultTo(1)).execute()
  const top = await sql<{ top: Num | null }>`select max(run_id) as top from metric_blocks`.execute(db)
  const last = Number(top.rows[0]?.top ?? -1)
  for (let from = 0; from <= last; from += LIST_RUNS) {
    const { rows } = await sql<{ run_id: Num; key_id: Num; block: Num; count: Num }>`select run_id, key_id, block, count
      from metric_blocks where run_id >= ${from} and run_id < ${from + LIST_RUNS} order by run_id, key_id, block`.execute(db)
    // Consecutive blocks of one series, up to READ_POINTS points, are read in one range.
    let i = 0
    while (i < rows.length) {
      const head = rows[i] as (typeof rows)[number]
      let j = i
      let points = 0
      while (j < rows.length && rows[j]?.run_id === head.run_id && rows[j]?.key_id === head.key_id && (j === i || points + Number(rows[j]?.count) <= READ_POINTS)) {
        points += Number(rows[j]?.count)
        j++
      }
      await copyBlocks(db, Number(head.run_id), Number(head.key_id), Number(head.block), Number(rows[j - 1]?.block))
      i = j
    }
  }
  await db.schema.dropTable('metrics').execute()
}

/** Rewrite the points of blocks [first, last] of one series as one chunk a block. */
async function copyBlocks(db: Kysely<unknown>, run: number, key: number, first: number, last: number): Promise<void> {
  const { rows } = await sql<{ step: Num; timestamp: Num; value: number; is_nan: Num }>`select step, timestamp, value, is_nan
    from metrics where run_id = ${run} and key_id = ${key} and step >= ${first * METRIC_BLOCK} and step < ${(last + 1) * METRIC_BLOCK}
    order by step, timestamp, value, is_nan`.execute(db)
  const p = allocPoints(rows.length)
  rows.forEach((r, i) => {
    p.step[i] = Number(r.step)
    p.timestamp[i] = Number(r.timestamp)
    p.value[i] = Number(r.is_nan) === 1 ? Number.NaN : Number(r.value)
  })
  const values = []
  for (let a = 0; a < p.length; ) {
    const block = Math.floor((p.step[a] as number) / METRIC_BLOCK)
    let b = a + 1
    while (b < p.length && Math.floor((p.step[b] as number) / METRIC_BLOCK) === block) b++
    values.push(sql`(${run}, ${key}, ${block}, 0, ${encodeChunk(p, a, b)})`)
    a = b
  }
  for (let c = 0; c < values.length; c += 500) {
    await sql`insert into metric_chunks (run_id, key_id, block, seq, data) values ${sql.join(values.slice(c, c + 500))}`.execute(db)
  }
}
