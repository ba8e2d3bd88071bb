import { sql, type Kysely } from 'kysely'
import type { DialectAdapter } from '../dialect/dialect-adapter.ts'

/** Coarse blocks (1,024 steps each) per page: a page covers 16,384 steps and holds at most 1,152 bytes. */
export const PAGE_BLOCKS = 16

/**
 * Doubles per coarse block in a page: block, first_step, count, min, max, last, last_step,
 * last_timestamp, first_timestamp.
 */
export const PAGE_FIELDS = 9

/** One coarse block's summary (migration 0007's columns without last_step/last_timestamp). */
export interface CoarseEntry {
  block: number
  first: number
  count: number
  /** null when every point of the block is NaN. */
  min: number | null
  max: number | null
  /** The block's last point (greatest step, timestamp, value); NaN when that point is NaN. */
  last: number
  lastStep: number
  lastTimestamp: number
  /** The smallest timestamp at first_step (the block's first point); NaN when not known. */
  firstTimestamp: number
}

/**
 * A page's bytes: its blocks in block order, PAGE_FIELDS little-endian doubles each; a null min/max
 * is written as NaN (min/max never hold NaN: they skip NaN points). This is the stored format:
 * changing it needs a new migration.
 */
export function encodePage(entries: CoarseEntry[]): Buffer {
  const out = Buffer.allocUnsafe(entries.length * PAGE_FIELDS * 8)
  let at = 0
  for (const e of entries) {
    for (const v of [
      e.block,
      e.first,
      e.count,
      e.min ?? Number.NaN,
      e.max ?? Number.NaN,
      e.last,
      e.lastStep,
      e.lastTimestamp,
      e.firstTimestamp,
    ]) {
      out.writeDoubleLE(v, at)
      at += 8
    }
  }
  return out
}

/** A stored row of metric_blocks_coarse as a page entry (node-postgres reads bigint as text). */
export function coarseEntry(r: Record<string, unknown>): CoarseEntry {
  const orNull = (v: unknown) => (v === null || v === undefined ? null : Number(v))
  return {
    block: Number(r.block),
    first: Number(r.first_step),
    count: Number(r.count),
    min: orNull(r.min_value),
    max: orNull(r.max_value),
    last: Number(r.last_is_nan) === 1 ? Number.NaN : Number(r.last_value),
    lastStep: Number(r.last_step),
    lastTimestamp: Number(r.last_timestamp),
    // Looked up from the points by the backfill (one index seek a block); NaN when absent.
    firstTimestamp:
      r.first_timestamp === null || r.first_timestamp === undefined
        ? Number.NaN
        : Number(r.first_timestamp),
  }
}

/** Runs per backfill statement: a bounded slice of metric_blocks_coarse in memory at a time. */
const BACKFILL_RUNS = 2000

/**
 * `metric_block_pages`: the coarse summaries of migration 0007 packed PAGE_BLOCKS to a row, page =
 * floor(coarse block / PAGE_BLOCKS). A chart over 50 runs x 1,000,000 steps read 48,850 coarse rows,
 * and turning their 244,250 values into JS values (~65 ms of one core) was most of its server time;
 * the same summaries are 3,100 pages. Maintained on write (sql/block-pages.ts: each batch's new
 * points are folded into the entries of their pages); backfilled here from metric_blocks_coarse,
 * which is then dropped. Each block's first timestamp (the smallest at its first step: the
 * wall-time axis's x for a bucket starting there) comes from the points, one index seek a block.
 */
export async function up(db: Kysely<unknown>, adapter: DialectAdapter): Promise<void> {
  let t = db.schema
    .createTable('metric_block_pages')
    .addColumn('run_id', 'bigint', (c) => c.notNull())
    .addColumn('key_id', 'bigint', (c) => c.notNull())
    .addColumn('page', 'bigint', (c) => c.notNull())
    .addColumn('data', adapter.kind === 'postgres' ? 'bytea' : 'blob', (c) => c.notNull())
    .addPrimaryKeyConstraint('metric_block_pages_pk', ['run_id', 'key_id', 'page'])
  if (adapter.tableSuffix) t = t.modifyEnd(adapter.tableSuffix)
  await t.execute()
  const top = await sql<{
    top: unknown
  }>`select max(run_id) as top from metric_blocks_coarse`.execute(db)
  const last = Number(top.rows[0]?.top ?? -1)
  for (let from = 0; from <= last; from += BACKFILL_RUNS) {
    const { rows } = await sql<
      Record<string, unknown>
    >`select c.run_id, c.key_id, c.block, c.first_step, c.count,
        c.min_value, c.max_value, c.last_value, c.last_is_nan, c.last_step, c.last_timestamp,
        (select min(m.timestamp) from metrics m
          where m.run_id = c.run_id and m.key_id = c.key_id and m.step = c.first_step) as first_timestamp
      from metric_blocks_coarse c where c.run_id >= ${from} and c.run_id < ${from + BACKFILL_RUNS}
      order by c.run_id, c.key_id, c.block`.execute(db)
    const pages: { run: number; key: number; page: number; entries: CoarseEntry[] }[] = []
    for (const r of rows) {
      const entry = coarseEntry(r)
      const run = Number(r.run_id)
      const key = Number(r.key_id)
      const page = Math.floor(entry.block / PAGE_BLOCKS)
      const open = pages.at(-1)
      if (open && open.run === run && open.key === key && open.page === page)
        open.entries.push(entry)
      else pages.push({ run, key, page, entries: [entry] })
    }
    for (let i = 0; i < pages.length; i += 500) {
      const values = pages
        .slice(i, i + 500)
        .map((p) => sql`(${p.run}, ${p.key}, ${p.page}, ${encodePage(p.entries)})`)
      await sql`insert into metric_block_pages (run_id, key_id, page, data) values ${sql.join(values)}`.execute(
        db,
      )
    }
  }
  await db.schema.dropTable('metric_blocks_coarse').execute()
}
