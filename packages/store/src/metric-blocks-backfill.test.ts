import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openAdapter } from './open-store.ts'
import { createSqlTrackingStore } from './sql-tracking-store.ts'
import { postgresAvailable, startPostgresCluster, type PostgresCluster } from './testing/postgres-cluster.ts'
import { requireComponent } from './testing/require-component.ts'

const blocks = sql<Record<string, unknown>>`select * from metric_blocks order by run_id, key_id, block`
const coarse = sql<Record<string, unknown>>`select * from metric_blocks_coarse order by run_id, key_id, block`

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
      last_step: top.last_step as number,
      last_timestamp: top.last_timestamp as number,
      last_value: top.last_value as number,
      last_is_nan: top.last_is_nan as number,
    }
  })
}
const asNumbers = (rows: Record<string, unknown>[]) =>
  rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v === null ? null : Number(v)])))

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
  const written = (await blocks.execute(adapter.db)).rows
  expect(written.length).toBeGreaterThan(20)
  expect(written.some((r) => r.min_value === null && Number(r.last_is_nan) === 1)).toBe(true)
  expect(written.some((r) => Number(r.block) < 0)).toBe(true)
  // The coarse level (migration 0007), kept on write, is exactly the fine rows folded by 4.
  const coarseWritten = (await coarse.execute(adapter.db)).rows
  expect(asNumbers(coarseWritten)).toEqual(expectedCoarse(written))
  expect(coarseWritten.length).toBeLessThan(written.length)
  // Back to a database from before migration 0006.
  await sql`drop table metric_blocks`.execute(adapter.db)
  await sql`drop table metric_blocks_coarse`.execute(adapter.db)
  await sql`delete from schema_migrations where version in (6, 7)`.execute(adapter.db)
  await store.close()
  const reopenedAdapter = openAdapter(uri)
  const reopened = await createSqlTrackingStore(reopenedAdapter, options)
  try {
    expect((await blocks.execute(reopenedAdapter.db)).rows).toEqual(written)
    expect((await coarse.execute(reopenedAdapter.db)).rows).toEqual(coarseWritten)
    await reopened.deleteRun(run.info.run_id)
    await reopened.purgeRun(run.info.run_id)
    expect((await blocks.execute(reopenedAdapter.db)).rows).toEqual([])
    expect((await coarse.execute(reopenedAdapter.db)).rows).toEqual([])
  } finally {
    await reopened.close()
  }
}

it('SQLite: migrations 0006/0007 backfill metric_blocks and its coarse level as the write path builds them; purging a run removes them', () =>
  backfillCase(`sqlite:///${mkdtempSync(join(tmpdir(), 'logbook-blocks-'))}/logbook.db`))

const available = requireComponent('PostgreSQL', postgresAvailable(), 'no server binaries under /usr/lib/postgresql/*/bin')

describe.skipIf(!available)('PostgreSQL', () => {
  let cluster: PostgresCluster | undefined
  beforeAll(async () => {
    cluster = await startPostgresCluster()
  }, 120_000)
  afterAll(() => cluster?.stop())
  it('migrations 0006/0007 backfill metric_blocks and its coarse level as the write path builds them; purging a run removes them', async () => {
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
