import pg from 'pg'
import { Kysely, PostgresDialect, sql, type RawBuilder } from 'kysely'
import type { Database } from '../schema.ts'
import type { ChunkRow, DialectAdapter } from './dialect-adapter.ts'

const INT8 = 20
const NUMERIC = 1700
/** Arbitrary constant naming Logbook's migration advisory lock. */
const MIGRATION_LOCK_KEY = 0x10_6b_00_01

/** Connect a pg pool (int8 parsed as JS numbers: ids and ms timestamps fit in 2^53). */
export function createPostgresAdapter(url: string): DialectAdapter {
  const types = {
    getTypeParser(oid: number, format?: 'text' | 'binary') {
      if (oid === INT8 || oid === NUMERIC) return (v: string) => Number(v)
      return pg.types.getTypeParser(oid, format)
    },
  }
  // extra_float_digits > 0: float8 as text is the shortest exact rendering (history JSON below).
  const pool = new pg.Pool({ connectionString: url, max: 8, types: types as pg.CustomTypesConfig, options: '-c extra_float_digits=1' })
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })

  return {
    kind: 'postgres',
    db,
    autoIncrement: 'bigint',
    tableSuffix: undefined,
    rowLocks: true,
    transaction: (fn) => db.transaction().execute(fn),
    // One statement per batch: unnest of column arrays (node-postgres sends the chunks as bytea[]).
    async insertChunks(trx, rows: ChunkRow[]) {
      if (rows.length === 0) return
      await sql`insert into metric_chunks (run_id, key_id, block, seq, data)
        select * from unnest(${rows.map((r) => r.runId)}::int8[], ${rows.map((r) => r.keyId)}::int8[],
          ${rows.map((r) => r.block)}::int8[], ${rows.map((r) => r.seq)}::int8[], ${rows.map((r) => r.data)}::bytea[])`.execute(trx)
    },
    async selectArrays(trx, query) {
      const result = await trx.executeQuery(query)
      return result.rows.map((row) => Object.values(row as object))
    },
    like(expr: RawBuilder<unknown>, pattern: string, caseInsensitive: boolean) {
      return caseInsensitive ? sql`${expr} ilike ${pattern}` : sql`${expr} like ${pattern}`
    },
    async withMigrationLock(fn) {
      const client = await pool.connect()
      try {
        await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY])
        return await fn()
      } finally {
        await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => {})
        client.release()
      }
    },
    isUniqueViolation(e: unknown) {
      return (e as { code?: unknown }).code === '23505'
    },
    async close() {
      await db.destroy()
    },
  }
}
