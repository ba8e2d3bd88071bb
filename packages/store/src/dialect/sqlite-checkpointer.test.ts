import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import { openTrackingStore } from '../open-store.ts'
import { startCheckpointer } from './sqlite-checkpointer.ts'

const dir = mkdtempSync(join(tmpdir(), 'logbook-checkpointer-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('background WAL checkpointer', () => {
  it('folds every commit into the database file and keeps the WAL bounded', async () => {
    const file = join(dir, 'busy.db')
    const store = await openTrackingStore(`sqlite:///${file}`, { defaultArtifactRoot: 'mlflow-artifacts:' })
    const run = await store.createRun({ tags: [] })
    const keys = Array.from({ length: 10 }, (_, i) => `m${i}`)
    // 300,000 points: ~36 MB of WAL frames in all.
    for (let b = 0; b < 300; b++) {
      const metrics = []
      for (let s = 0; s < 100; s++) for (const key of keys) metrics.push({ key, step: b * 100 + s, timestamp: b * 100 + s, value: Math.sin(b + s) })
      await store.logBatch(run.info.run_id, { metrics, params: [], tags: [] })
      if (b % 50 === 0) await new Promise((r) => setImmediate(r))
    }
    await new Promise((r) => setTimeout(r, 300))
    expect(statSync(`${file}-wal`).size).toBeLessThan(20 * 1024 * 1024)
    // The database file already holds every page the commits wrote (the worker backfilled the
    // WAL); the writer's own checkpoint (every 4,000 pages) would have left the last ones behind.
    const probe = new BetterSqlite3(file, { readonly: true })
    const pages = probe.pragma('page_count', { simple: true }) as number
    const pageSize = probe.pragma('page_size', { simple: true }) as number
    probe.close()
    expect(statSync(file).size).toBe(pages * pageSize)
    expect((await store.getMetricHistory(run.info.run_id, 'm3', 25_000, undefined)).items).toHaveLength(25_000)
    await store.close()
  }, 60_000)

  it('hands checkpoints back to the writer when the worker cannot open the database', async () => {
    let failed = false
    const checkpointer = startCheckpointer(join(dir, 'missing', 'nested', 'x.db'), () => (failed = true))
    await checkpointer.stop()
    expect(failed).toBe(true)
  })
})
