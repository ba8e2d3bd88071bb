import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { KNOWN_MIGRATIONS, SCHEMA_VERSION, appliedMigrations, openAdapter } from '@logbook/store'
import { postgresAvailable, startPostgresCluster } from '../../../store/src/testing/postgres-cluster.ts'
import type { PostgresCluster } from '../../../store/src/testing/postgres-cluster.ts'
import { requireComponent } from '../../../store/src/testing/require-component.ts'
import { runCli } from '../testing/run-cli.ts'

const pgAvailable = requireComponent('PostgreSQL', postgresAvailable(), 'no server binaries under /usr/lib/postgresql/*/bin')

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'logbook-cli-db-'))
})
afterAll(() => rm(dir, { recursive: true, force: true }))

describe('logbook db', () => {
  it('upgrades a fresh SQLite file, then is a no-op, and reports the version', async () => {
    const uri = `sqlite:///${join(dir, 'fresh.db')}`
    const before = await runCli(['db', 'current', '--backend-store-uri', uri])
    expect(before.code).toBe(1)
    expect(before.stderr).toContain('No database at')

    const first = await runCli(['db', 'upgrade', '--backend-store-uri', uri])
    expect(first.code).toBe(0)
    const names = KNOWN_MIGRATIONS.map((m) => `  ${String(m.version).padStart(4, '0')}-${m.name}\n`).join('')
    expect(first.stdout).toBe(`Applied ${KNOWN_MIGRATIONS.length} migration(s) to ${uri}:\n${names}Schema version is now ${SCHEMA_VERSION}.\n`)
    const adapter = openAdapter(uri)
    try {
      expect((await appliedMigrations(adapter)).map((m) => m.version)).toEqual(KNOWN_MIGRATIONS.map((m) => m.version))
    } finally {
      await adapter.close()
    }

    const again = await runCli(['db', 'upgrade', '--backend-store-uri', uri])
    expect(again.code).toBe(0)
    expect(again.stdout).toContain(`up to date at schema version ${SCHEMA_VERSION}; no migrations ran`)

    const current = await runCli(['db', 'current', '--backend-store-uri', uri])
    expect(current.code).toBe(0)
    const last = KNOWN_MIGRATIONS.at(-1)!
    expect(current.stdout).toBe(`${SCHEMA_VERSION} (${String(last.version).padStart(4, '0')}-${last.name}), up to date\n`)
  }, 300_000)

  it('reports an empty database and rejects bad usage', async () => {
    const uri = `sqlite:///${join(dir, 'empty.db')}`
    const adapter = openAdapter(uri) // creates the file without tables
    await adapter.close()
    const [empty, unknown, help] = await Promise.all([
      runCli(['db', 'current', '--backend-store-uri', uri]),
      runCli(['db', 'upgrade', '--backend-store', uri]),
      runCli(['db', 'upgrade', '--help']),
    ])
    expect(empty.code).toBe(0)
    expect(empty.stdout).toMatch(new RegExp(`^0 \\(empty database\\), ${KNOWN_MIGRATIONS.length} pending: 0001-`))
    expect(unknown.code).toBe(2)
    expect(help.code).toBe(0)
    expect(help.stdout).toContain('--backend-store-uri <uri>')
  }, 300_000)
})

describe.skipIf(!pgAvailable)('logbook db on PostgreSQL', () => {
  let cluster: PostgresCluster
  beforeAll(async () => {
    cluster = await startPostgresCluster()
  }, 120_000)
  afterAll(() => cluster?.stop())

  it('upgrades an empty database under the migration lock, then is a no-op', async () => {
    const uri = cluster.url
    const empty = await runCli(['db', 'current', '--backend-store-uri', uri])
    expect(empty.code).toBe(0)
    expect(empty.stdout).toMatch(/^0 \(empty database\), \d+ pending: 0001-/)
    const first = await runCli(['db', 'upgrade', '--backend-store-uri', uri])
    expect(first.code).toBe(0)
    expect(first.stdout).toContain(`Applied ${KNOWN_MIGRATIONS.length} migration(s)`)
    const [again, current] = [await runCli(['db', 'upgrade', '--backend-store-uri', uri]), await runCli(['db', 'current', '--backend-store-uri', uri])]
    expect(again.stdout).toContain('no migrations ran')
    expect(current.stdout).toMatch(new RegExp(`^${SCHEMA_VERSION} \\(.*\\), up to date\n$`))
  }, 300_000)
})
