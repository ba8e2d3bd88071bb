import { sql, type Kysely } from 'kysely'
import { MlflowError } from '@logbook/core'
import type { DialectAdapter } from './dialect/dialect-adapter.ts'
import { MIGRATIONS } from './migrations/index.ts'

/** Newest schema version this build knows. */
export const SCHEMA_VERSION = Math.max(...MIGRATIONS.map((m) => m.version))

/**
 * Apply pending migrations under a cross-process lock, each in its own transaction, so concurrent
 * server starts are safe. Refuses a database whose schema is newer than this build. `upTo` stops
 * after that version (tests build databases as older releases left them).
 */
export async function migrate(adapter: DialectAdapter, { upTo = SCHEMA_VERSION }: { upTo?: number } = {}): Promise<number[]> {
  return adapter.withMigrationLock(async () => {
    await adapter.db.schema
      .createTable('schema_migrations')
      .ifNotExists()
      .addColumn('version', 'integer', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('applied_at', 'bigint', (c) => c.notNull())
      .execute()
    const applied: number[] = []
    for (const m of MIGRATIONS.filter((x) => x.version <= upTo)) {
      await adapter.transaction(async (trx) => {
        const done = await trx
          .selectFrom('schema_migrations')
          .select('version')
          .where('version', '=', m.version)
          .executeTakeFirst()
        if (done) return
        await m.up(trx as unknown as Kysely<unknown>, adapter)
        await trx
          .insertInto('schema_migrations')
          .values({ version: m.version, name: m.name, applied_at: Date.now() })
          .execute()
        applied.push(m.version)
      })
    }
    const newest = await adapter.db
      .selectFrom('schema_migrations')
      .select(sql<number>`max(version)`.as('v'))
      .executeTakeFirst()
    if ((newest?.v ?? 0) > SCHEMA_VERSION) {
      throw new MlflowError(
        'INTERNAL_ERROR',
        `The database schema (version ${newest?.v}) is newer than this Logbook (version ${SCHEMA_VERSION}); upgrade Logbook.`,
      )
    }
    return applied
  })
}

/** Every migration this build knows: version and name, oldest first (for `logbook db`). */
export const KNOWN_MIGRATIONS: readonly { version: number; name: string }[] = MIGRATIONS.map(({ version, name }) => ({ version, name }))

/** The migrations recorded in a database, oldest first; none for an empty database. Read-only. */
export async function appliedMigrations(adapter: DialectAdapter): Promise<{ version: number; name: string; appliedAt: number }[]> {
  const tables = await adapter.db.introspection.getTables()
  if (!tables.some((t) => t.name === 'schema_migrations')) return []
  const rows = await adapter.db.selectFrom('schema_migrations').select(['version', 'name', 'applied_at']).orderBy('version').execute()
  return rows.map((r) => ({ version: Number(r.version), name: r.name, appliedAt: Number(r.applied_at) }))
}
