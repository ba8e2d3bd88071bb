import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import { expect, it } from 'vitest'
import { openAdapter } from './open-store.ts'
import { createSqlTrackingStore } from './sql-tracking-store.ts'

it('migration 0003 backfills experiment_keys from existing params, tags and metrics', async () => {
  const uri = `sqlite:///${mkdtempSync(join(tmpdir(), 'logbook-keys-'))}/logbook.db`
  const options = { defaultArtifactRoot: 'mlflow-artifacts:' }
  const adapter = openAdapter(uri)
  const store = await createSqlTrackingStore(adapter, options)
  const exp = await store.createExperiment('old')
  const run = await store.createRun({ experimentId: exp, tags: [{ key: 'team', value: 'a' }] })
  await store.logBatch(run.info.run_id, {
    metrics: [{ key: 'loss', value: 1, timestamp: 1, step: 0 }],
    params: [{ key: 'lr', value: '0.1' }],
    tags: [],
  })
  // Turn the database back into one from before migration 0003.
  await sql`drop table experiment_keys`.execute(adapter.db)
  await sql`delete from schema_migrations where version = 3`.execute(adapter.db)
  await store.close()
  const reopened = await createSqlTrackingStore(openAdapter(uri), options)
  try {
    expect(await reopened.experimentKeys([exp])).toEqual({ params: ['lr'], metrics: ['loss'], tags: ['mlflow.runName', 'team'] })
  } finally {
    await reopened.close()
  }
})
