import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { KNOWN_MIGRATIONS, SCHEMA_VERSION, appliedMigrations, migrate, openAdapter } from '@logbook/store'
import type { DialectAdapter } from '@logbook/store'
import { runGroup } from '../cli-runner.ts'
import type { Args } from '../cli-runner.ts'
import { DB } from '../command-table.ts'
import { writeOut } from '../output/writers.ts'
import { redact, storageLocations } from '../storage-options.ts'

const label = (version: number) => {
  const known = KNOWN_MIGRATIONS.find((m) => m.version === version)
  return `${String(version).padStart(4, '0')}-${known?.name ?? 'unknown'}`
}

/** The SQLite file a URI names, or undefined for PostgreSQL and in-memory databases. */
function sqliteFile(uri: string): string | undefined {
  if (/^postgres(ql)?(\+\w+)?:\/\//.test(uri) || uri.endsWith(':memory:')) return undefined
  return resolve(uri.startsWith('sqlite:///') ? uri.slice('sqlite:///'.length) : uri)
}

async function withAdapter<T>(uri: string, fn: (adapter: DialectAdapter) => Promise<T>): Promise<T> {
  const adapter = openAdapter(uri)
  try {
    return await fn(adapter)
  } finally {
    await adapter.close()
  }
}

/** `logbook db upgrade`: apply pending migrations (under the migration lock) and name the ones that ran. */
async function upgrade(args: Args): Promise<void> {
  const { backend } = storageLocations({ 'backend-store-uri': args.string('backend-store-uri') })
  const applied = await withAdapter(backend, migrate)
  if (applied.length === 0) {
    await writeOut(`Database ${redact(backend)} is up to date at schema version ${SCHEMA_VERSION}; no migrations ran.\n`)
    return
  }
  await writeOut(`Applied ${applied.length} migration(s) to ${redact(backend)}:\n${applied.map((v) => `  ${label(v)}\n`).join('')}Schema version is now ${SCHEMA_VERSION}.\n`)
}

/** `logbook db current`: the newest applied migration, read without changing anything. */
async function current(args: Args): Promise<number> {
  const { backend } = storageLocations({ 'backend-store-uri': args.string('backend-store-uri') })
  const file = sqliteFile(backend)
  if (file !== undefined && !existsSync(file)) {
    process.stderr.write(`logbook: No database at ${file} (run 'logbook db upgrade' to create one).\n`)
    return 1
  }
  const applied = await withAdapter(backend, appliedMigrations)
  const version = applied.at(-1)?.version ?? 0
  const pending = KNOWN_MIGRATIONS.filter((m) => !applied.some((a) => a.version === m.version))
  const state =
    version > SCHEMA_VERSION
      ? `newer than this Logbook (${SCHEMA_VERSION})`
      : pending.length > 0
        ? `${pending.length} pending: ${pending.map((m) => label(m.version)).join(', ')}`
        : 'up to date'
  await writeOut(`${version}${version > 0 ? ` (${label(version)})` : ' (empty database)'}, ${state}\n`)
  return 0
}

/** `logbook db upgrade|current`. */
export function dbCommand(argv: string[]): Promise<number> {
  return runGroup(DB, { upgrade, current }, argv)
}
