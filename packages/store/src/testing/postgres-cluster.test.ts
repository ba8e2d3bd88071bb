import { existsSync } from 'node:fs'
import pg from 'pg'
import { describe, expect, it } from 'vitest'
import { postgresAvailable, startPostgresCluster } from './postgres-cluster.ts'
import { requireComponent } from './require-component.ts'

const available = requireComponent(
  'PostgreSQL',
  postgresAvailable(),
  'no server binaries under /usr/lib/postgresql/*/bin (apt-get install postgresql)',
)

describe.skipIf(!available)('startPostgresCluster', () => {
  it('starts a cluster with a logbook database that answers queries, then stops it', async () => {
    const cluster = await startPostgresCluster()
    try {
      expect(cluster.url).toMatch(/^postgresql:\/\/postgres@127\.0\.0\.1:\d+\/logbook$/)
      const client = new pg.Client({ connectionString: cluster.url })
      await client.connect()
      try {
        const result = await client.query<{ one: number; db: string }>(
          'select 1 as one, current_database() as db',
        )
        expect(result.rows).toEqual([{ one: 1, db: 'logbook' }])
      } finally {
        await client.end()
      }
    } finally {
      await cluster.stop()
    }
    expect(existsSync(cluster.dir)).toBe(false)
    const late = new pg.Client({ connectionString: cluster.url, connectionTimeoutMillis: 5_000 })
    await expect(late.connect()).rejects.toThrow()
  }, 120_000)
})
