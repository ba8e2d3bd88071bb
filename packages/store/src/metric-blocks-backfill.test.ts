import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql, type Kysely } from 'kysely'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { migrate } from './migrator.ts'
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
/** Every point of a run's key, in point order, as [step, timestamp, value] (NaN as itself). */
async function points(store: Awaited<ReturnType<typeof createSqlTrackingStore>>, runId: string, key: string): Promise<number[][]> {
  const { items } = await store.getMetricHistory(runId, key, undefined, undefined)
  return items.map((m) => [m.step, m.timestamp, m.value]).sort((a, b) => (a[0] as number) - (b[0] as number) || (a[1] as number) - (b[1] as number) || 0)
}

/**
 * The write path against the upgrade path. Store A takes the points through log-batch (blocks,
 * pages and chunks kept on write); database B is built as a release before migration 0006 left it
 * (migrations 1-5, one `metrics` row a point) with the same points, then opened, which runs
 * migrations 0006-0009. Both must hold the same summaries and the same points.
 */
async function backfillCase(uriA: string, uriB: string): Promise<void> {
  const options = { defaultArtifactRoot: 'mlflow-artifacts:' }
  const adapter = openAdapter(uriA)
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
  // Every point once: the originals, plus the new points at old steps and the new first step.
  const distinct = new Set([...metrics, ...among].map((m) => `${m.key}:${m.step}:${m.timestamp}:${m.value}`))
  const history = { loss: await points(store, run.info.run_id, 'loss'), acc: await points(store, run.info.run_id, 'acc') }
  expect(history.loss.length + history.acc.length).toBe(distinct.size + 1)
  const written = (await blocks.execute(adapter.db)).rows.map(({ chunks, ...r }) => (expect(Number(chunks)).toBeGreaterThan(0), r))
  expect(written.length).toBeGreaterThan(20)
  expect(written.some((r) => r.min_value === null && Number(r.last_is_nan) === 1)).toBe(true)
  expect(written.some((r) => Number(r.block) < 0)).toBe(true)
  // The coarse level (migrations 0007-0008), kept on write, is exactly the fine rows folded by 4.
  const { rows: coarseWritten, firsts: firstTimes } = await coarse(adapter.db)
  expect(coarseWritten).toEqual(expectedCoarse(written))
  // The write path also keeps each coarse block's first timestamp: the smallest at its first step.
  expect(firstTimes.length).toBe(coarseWritten.length)
  const firstAt = new Map<string, number>()
  const keyIds = new Map((await sql<{ id: unknown; key: string }>`select id, key from metric_keys`.execute(adapter.db)).rows.map((r) => [r.key, Number(r.id)]))
  for (const [key, list] of Object.entries(history)) {
    for (const [step, t] of list) {
      const id = `${keyIds.get(key)}:${step}`
      if (!firstAt.has(id)) firstAt.set(id, t as number)
    }
  }
  expect(firstTimes.map((f) => f.t)).toEqual(firstTimes.map((f) => firstAt.get(`${f.key}:${f.step}`)))
  expect(coarseWritten.length).toBeLessThan(written.length)
  await store.close()

  // Database B as a release before migration 0006 left it: the same run, keys and points as rows.
  const legacy = openAdapter(uriB)
  await migrate(legacy, { upTo: 5 })
  await sql`insert into experiments (experiment_id, name, artifact_location, lifecycle_stage, creation_time, last_update_time)
    values (1, 'e', 'mlflow-artifacts:/1', 'active', 0, 0)`.execute(legacy.db)
  await sql`insert into runs (id, run_uuid, experiment_id, name, user_id, status, start_time, artifact_uri, lifecycle_stage)
    values (1, ${run.info.run_id}, 1, 'r', 'u', 'RUNNING', 0, 'mlflow-artifacts:/1/r', 'active')`.execute(legacy.db)
  for (const [key, list] of Object.entries(history)) {
    const id = keyIds.get(key) as number
    await sql`insert into metric_keys (id, key) values (${id}, ${key})`.execute(legacy.db)
    for (let i = 0; i < list.length; i += 500) {
      const rows = list.slice(i, i + 500).map(([step, t, v]) => sql`(1, ${id}, ${step}, ${t}, ${Number.isNaN(v) ? 0 : v}, ${Number.isNaN(v) ? 1 : 0})`)
      await sql`insert into metrics (run_id, key_id, step, timestamp, value, is_nan) values ${sql.join(rows)}`.execute(legacy.db)
    }
  }
  await legacy.close()
  const reopenedAdapter = openAdapter(uriB)
  const reopened = await createSqlTrackingStore(reopenedAdapter, options)
  try {
    const norm = (rows: Record<string, unknown>[]) => rows.map(({ run_id: _, chunks, ...r }) => (expect(Number(chunks)).toBe(1), r))
    expect(norm((await blocks.execute(reopenedAdapter.db)).rows)).toEqual(written.map(({ run_id: _, ...r }) => r))
    const rebuilt = await coarse(reopenedAdapter.db)
    expect(rebuilt.rows.map(({ run_id: _, ...r }) => r)).toEqual(coarseWritten.map(({ run_id: _, ...r }) => r))
    expect(rebuilt.firsts.map((f) => f.t)).toEqual(rebuilt.firsts.map((f) => firstAt.get(`${f.key}:${f.step}`)))
    // Migration 0009 moved every point into chunks (one a block) and dropped the old table.
    expect(await points(reopened, run.info.run_id, 'loss')).toEqual(history.loss)
    expect(await points(reopened, run.info.run_id, 'acc')).toEqual(history.acc)
    const chunkRows = (await sql<{ n: unknown }>`select count(*) as n from metric_chunks`.execute(reopenedAdapter.db)).rows[0]
    expect(Number(chunkRows?.n)).toBe(written.length)
    await expect(sql`select count(*) from metrics`.execute(reopenedAdapter.db)).rejects.toThrow()
    await reopened.deleteRun(run.info.run_id)
    await reopened.purgeRun(run.info.run_id)
    expect((await blocks.execute(reopenedAdapter.db)).rows).toEqual([])
    expect((await coarse(reopenedAdapter.db)).rows).toEqual([])
    expect((await sql`select * from metric_chunks`.execute(reopenedAdapter.db)).rows).toEqual([])
  } finally {
    await reopened.close()
  }
}

it('SQLite: migrations 0006-0009 rebuild a pre-0006 database as the write path builds it (blocks, pages, chunks); purging a run removes them', () => {
  const dir = mkdtempSync(join(tmpdir(), 'logbook-blocks-'))
  return backfillCase(`sqlite:///${dir}/a.db`, `sqlite:///${dir}/b.db`)
})

const available = requireComponent('PostgreSQL', postgresAvailable(), 'no server binaries under /usr/lib/postgresql/*/bin')

describe.skipIf(!available)('PostgreSQL', () => {
  let cluster: PostgresCluster | undefined
  beforeAll(async () => {
    cluster = await startPostgresCluster()
  }, 120_000)
  afterAll(() => cluster?.stop())
  it('migrations 0006-0009 rebuild a pre-0006 database as the write path builds it (blocks, pages, chunks); purging a run removes them', async () => {
    const url = (cluster as PostgresCluster).url
    const admin = new pg.Client({ connectionString: url })
    await admin.connect()
    try {
      await admin.query(`create database blocks_a_${process.pid}`)
      await admin.query(`create database blocks_b_${process.pid}`)
    } finally {
      await admin.end()
    }
    await backfillCase(url.replace(/\/[^/]+$/, `/blocks_a_${process.pid}`), url.replace(/\/[^/]+$/, `/blocks_b_${process.pid}`))
  })
})
