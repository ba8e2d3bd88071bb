import pg from 'pg'
import { Kysely, PostgresDialect, sql, type RawBuilder } from 'kysely'
import type { Database, MetricRow } from '../schema.ts'
import type { DialectAdapter } from './dialect-adapter.ts'

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
    // One statement per batch: unnest of column arrays beats 1000 single-row inserts by far.
    async insertMetrics(trx, rows: MetricRow[]) {
      if (rows.length === 0) return
      const cols: [number[], number[], number[], number[], number[], number[]] = [[], [], [], [], [], []]
      for (const r of rows) {
        cols[0].push(r.runId)
        cols[1].push(r.keyId)
        cols[2].push(r.step)
        cols[3].push(r.timestamp)
        cols[4].push(r.value)
        cols[5].push(r.isNan)
      }
      await sql`insert into metrics (run_id, key_id, step, timestamp, value, is_nan)
        select * from unnest(${cols[0]}::int8[], ${cols[1]}::int8[], ${cols[2]}::int8[],
          ${cols[3]}::int8[], ${cols[4]}::float8[], ${cols[5]}::int2[])
        on conflict do nothing`.execute(trx)
    },
    async selectArrays(trx, query) {
      const result = await trx.executeQuery(query)
      return result.rows.map((row) => Object.values(row as object))
    },
    // A history page as JSON text built by string concatenation in PostgreSQL, in the same form as
    // SQLite's json_object: 25,000 points in ~40 ms against ~110-160 ms for rows into JS and
    // JSON.stringify, or ~100-130 ms for json_agg (physical-limits.md §2 found json_agg slower than
    // JS), and the work runs in the server process of PostgreSQL, beside this one. float8::text is
    // the shortest exact rendering (extra_float_digits > 0, set on every connection above).
    metricJsonArray(page, key) {
      const max = sql.raw('1.7976931348623157e308')
      return sql<{ json: string; n: number }>`select coalesce('[' || string_agg('{"key":' || ${JSON.stringify(key)}::text
          || ',"value":' || case when p.is_nan = 1 then '"NaN"' when p.value > ${max} then '"Infinity"'
            when p.value < -${max} then '"-Infinity"' else p.value::text end
          || ',"timestamp":' || p.timestamp || ',"step":' || p.step || '}', ',') || ']', '[]') as json, count(*) as n
        from (${page}) as p`
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
