import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { openTrackingStore } from '../open-store.ts'
import type { LogbookStore } from '../logbook-store.ts'
import { startPostgresCluster, type PostgresCluster } from './postgres-cluster.ts'

/** A fresh SQLite-backed store in a new temp folder. */
export function freshSqliteStore(): Promise<LogbookStore> {
  const dir = mkdtempSync(join(tmpdir(), 'logbook-store-'))
  return openTrackingStore(`sqlite:///${dir}/logbook.db`, { defaultArtifactRoot: 'mlflow-artifacts:' })
}

/** One PostgreSQL cluster per test file, a fresh database per store. */
export class PostgresStores {
  private cluster: PostgresCluster | undefined
  private n = 0

  async start(): Promise<void> {
    this.cluster = await startPostgresCluster()
  }

  async fresh(): Promise<LogbookStore> {
    if (!this.cluster) throw new Error('PostgresStores.start() was not called')
    const name = `t${process.pid}_${++this.n}`
    const admin = new pg.Client({ connectionString: this.cluster.url })
    await admin.connect()
    try {
      await admin.query(`create database ${name}`)
    } finally {
      await admin.end()
    }
    const url = this.cluster.url.replace(/\/[^/]+$/, `/${name}`)
    return openTrackingStore(url, { defaultArtifactRoot: 'mlflow-artifacts:' })
  }

  async stop(): Promise<void> {
    await this.cluster?.stop()
  }
}
