import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql, type Kysely } from 'kysely'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openAdapter } from './open-store.ts'
import type { Database } from './schema.ts'
import { decodePage, pageOf } from './sql/block-pages.ts'
import { createSqlTrackingStore } from './sql-tracking-store.ts'
import { postgresAvailable, startPostgresCluster, type PostgresCluster } from './testing/postgres-cluster.ts'
import { requireComponent } from './testing/require-component.ts'

const blocks = sql<Record<string, unknown>>`select * from metric_blocks order by run_id, key_id, block`
const pageRows = sql<{ run_id: unknown; key_id: unknown; page: unknown; data: Uint8Array }>`select * from metric_block_pages order by run_id, key_id, page`

/**
 * The coarse summaries held in metric_block_pages (migration 0008), one row per coarse block, and
 * each block's first step with its first timestamp.
 */
async function coarse(db: Kysely<Database>): Promise<{ rows: Record<string, number | null>[]; firsts: { key: number; step: number; t: number }[] }> {
  const out: Record<string, number | null>[] = []
  const firsts: { key: number; step: number; t: number }[] = []
  for (const p of (await pageRows.execute(db)).rows) {
    const entries = decodePage(p.data)
    expect(entries.length).toBeGreaterThan(0)
    for (const e of entries) {
      expect(pageOf(e.block)).toBe(Number(p.page))
      firsts.push({ key: Number(p.key_id), step: e.first, t: e.firstTimestamp })
      out.push({ run_id: Number(p.run_id), key_id: Number(p.key_id), block: e.block, first_step: e.first, min_value: e.min, max_value: e.max, count: e.count, last: e.last, last_step: e.lastStep, last_timestamp: e.lastTimestamp })
    }
  }
  return { rows: out, firsts }
}

/** Coarse rows as migration 0007 defines them, computed in JS from the fine rows (numbers). */
function expectedCoarse(fine: Record<string, unknown>[]): Record<string, number | null>[] {
  const groups = new Map<string, Record<string, number | null>[]>()
  for (const raw of fine) {
    const r = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, v === null ? null : Number(v)]))
    const id = `${r.run_id}:${r.key_id}:${Math.floor((r.block as number) / 4)}`
    groups.set(id, [...(groups.get(id) ?? []), r])
  }
  const least = (vs: (number | null)[], pick: (a: number, b: number) => number) =>
    vs.reduce<number | null>((m, v) => (v === null ? m : m === null ? v : pick(m, v)), null)
  return [...groups.values()].map((rows) => {
    const top = rows.reduce((a, b) => ((b.block as number) > (a.block as number) ? b : a))
    return {
      run_id: top.run_id as number,
      key_id: top.key_id as number,
      block: Math.floor((top.block as number) / 4),
      first_step: Math.min(...rows.map((r) => r.first_step as number)),
      min_value: least(rows.map((r) => r.min_value ?? null), Math.min),
      max_value: least(rows.map((r) => r.max_value ?? null), Math.max),
      count: rows.reduce((n, r) => n + (r.count as number), 0),
      last: top.last_is_nan === 1 ? Number.NaN : (top.last_value as number),
      last_step: top.last_step as number,
      last_timestamp: top.last_timestamp as number,
    }
  })
}
async function backfillCase(uri: string): Promise<void> {
  const options = { defaultArtifactRoot: 'mlflow-artifacts:' }
  const adapter = openAdapter(uri)
  const store = await createSqlTrackingStore(adapter, options)
  const run = await store.createRun({ tags: [] })
  const metrics = []
  // Negative steps, an all-NaN block, ties on step broken by timestamp then value.
  for (let step = -700; step < 2000; step += 7) {
    metrics.push({ key: 'loss', step, timestamp: 10 + (step % 5), value: step >= 256 && step < 512 ? Number.NaN : Math.cos(step) })
    if (step % 3 === 0 && (step < 256 || step >= 512)) metrics.push({ key: 'loss', step, timestamp: 10 + (step % 5), value: 2 })
    metrics.push({ key: 'acc', step, timestamp: 1, value: step })
  }
  for (let i = 0; i < metrics.length; i += 1000) await store.logBatch(run.info.run_id, { metrics: metrics.slice(i, i + 1000), params: [], tags: [] })
  // Batches that land among stored steps: exact duplicates (left out of the counts), new points at
  // old steps (later timestamps, one NaN), and a new first step.
  const again = metrics.filter((_, i) => i % 11 === 0)
  const among = again.map((m, i) => ({ ...m, timestamp: m.timestamp + 100, value: i % 7 === 0 ? Number.NaN : m.value + 1 }))
  await store.logBatch(run.info.run_id, { metrics: [...again, ...among, { key: 'acc', step: -5000, timestamp: 1, value: -1 }], params: [], tags: [] })
  const written = (await blocks.execute(adapter.db)).rows
  expect(written.length).toBeGreaterThan(20)
  expect(written.some((r) => r.min_value === null && Number(r.last_is_nan) === 1)).toBe(true)
  expect(written.some((r) => Number(r.block) < 0)).toBe(true)
  // The coarse level (migrations 0007-0008), kept on write, is exactly the fine rows folded by 4.
  const { rows: coarseWritten, firsts: firstTimes } = await coarse(adapter.db)
  expect(coarseWritten).toEqual(expectedCoarse(written))
  // The write path also keeps each coarse block's first timestamp: the smallest at its first step.
  expect(firstTimes.length).toBe(coarseWritten.length)
  const firsts = await sql<{ key_id: unknown; step: unknown; t: unknown }>`select key_id, step, min(timestamp) as t from metrics group by key_id, step`.execute(adapter.db)
  const firstAt = new Map(firsts.rows.map((r) => [`${Number(r.key_id)}:${Number(r.step)}`, Number(r.t)]))
  expect(firstTimes.map((f) => f.t)).toEqual(firstTimes.map((f) => firstAt.get(`${f.key}:${f.step}`)))
  expect(coarseWritten.length).toBeLessThan(written.length)
  // Back to a database from before migration 0006.
  await sql`drop table metric_blocks`.execute(adapter.db)
  await sql`drop table metric_block_pages`.execute(adapter.db)
  await sql`delete from schema_migrations where version in (6, 7, 8)`.execute(adapter.db)
  await store.close()
  const reopenedAdapter = openAdapter(uri)
  const reopened = await createSqlTrackingStore(reopenedAdapter, options)
  try {
    expect((await blocks.execute(reopenedAdapter.db)).rows).toEqual(written)
    const rebuilt = await coarse(reopenedAdapter.db)
    expect(rebuilt.rows).toEqual(coarseWritten)
    // Rebuilt from metric_blocks and, for the first timestamps, the points: the same as written.
    expect(rebuilt.firsts.map((f) => f.t)).toEqual(rebuilt.firsts.map((f) => firstAt.get(`${f.key}:${f.step}`)))
    await reopened.deleteRun(run.info.run_id)
    await reopened.purgeRun(run.info.run_id)
    expect((await blocks.execute(reopenedAdapter.db)).rows).toEqual([])
    expect((await coarse(reopenedAdapter.db)).rows).toEqual([])
  } finally {
    await reopened.close()
  }
}

it('SQLite: migrations 0006-0008 backfill metric_blocks and its coarse pages as the write path builds them; purging a run removes them', () =>
  backfillCase(`sqlite:///${mkdtempSync(join(tmpdir(), 'logbook-blocks-'))}/logbook.db`))

const available = requireComponent('PostgreSQL', postgresAvailable(), 'no server binaries under /usr/lib/postgresql/*/bin')

describe.skipIf(!available)('PostgreSQL', () => {
  let cluster: PostgresCluster | undefined
  beforeAll(async () => {
    cluster = await startPostgresCluster()
  }, 120_000)
  afterAll(() => cluster?.stop())
  it('migrations 0006-0008 backfill metric_blocks and its coarse pages as the write path builds them; purging a run removes them', async () => {
    const url = (cluster as PostgresCluster).url
    const admin = new pg.Client({ connectionString: url })
    await admin.connect()
    try {
      await admin.query(`create database blocks_${process.pid}`)
    } finally {
      await admin.end()
    }
    await backfillCase(url.replace(/\/[^/]+$/, `/blocks_${process.pid}`))
  })
})
