import BetterSqlite3 from 'better-sqlite3'
import { Kysely, SqliteDialect, sql, type RawBuilder } from 'kysely'
import type { Database, MetricRow } from '../schema.ts'
import type { DialectAdapter } from './dialect-adapter.ts'
import { startCheckpointer, type Checkpointer } from './sqlite-checkpointer.ts'

const STATEMENT_CACHE_SIZE = 256
const BULK_ROWS = 500
const INSERT_METRICS = 'insert into metrics (run_id, key_id, step, timestamp, value, is_nan) values'
const ROW = '(?, ?, ?, ?, ?, ?)'
/** SQLite's own default; the writer falls back to it when the background checkpointer fails. */
const AUTO_CHECKPOINT_PAGES = 1000
/** With the background checkpointer: the writer's own (mostly copied already) checkpoint, 16 MB. */
export const BACKSTOP_CHECKPOINT_PAGES = 4000

/**
 * Kysely's SQLite driver prepares every query anew (tens of µs each, a large share of a log-batch
 * request in profiles); hand it a database whose `prepare` reuses statements by SQL text. Safe
 * because Kysely runs one query at a time on its single connection.
 */
function withStatementCache(raw: BetterSqlite3.Database): BetterSqlite3.Database {
  const cache = new Map<string, BetterSqlite3.Statement>()
  return new Proxy(raw, {
    get(target, prop, receiver) {
      if (prop !== 'prepare') {
        const value: unknown = Reflect.get(target, prop, receiver)
        return typeof value === 'function' ? value.bind(target) : value
      }
      return (source: string) => {
        let stmt = cache.get(source)
        if (stmt === undefined) {
          stmt = target.prepare(source)
          if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value as string)
          cache.set(source, stmt)
        }
        return stmt
      }
    },
  })
}

/** Open a SQLite file in WAL mode with a generous busy timeout, wrapped for Kysely. */
export function createSqliteAdapter(path: string): DialectAdapter {
  const raw = new BetterSqlite3(path, { timeout: 30_000 })
  raw.pragma('journal_mode = WAL')
  raw.pragma('synchronous = NORMAL')
  raw.pragma('foreign_keys = OFF')
  // MLflow's `=`/`LIKE` are case-sensitive on every backend; ILIKE lowers both sides instead.
  raw.pragma('case_sensitive_like = ON')
  // Measured: the default 2 MB page cache thrashes once many series interleave in one file.
  raw.pragma('cache_size = -65536')
  // Started by the first metric insert: ingest is what fills the WAL, and a store opened only to
  // read or to run a CLI command does not pay for a thread.
  let checkpointer: Checkpointer | undefined
  const startBackgroundCheckpoints = () => {
    if (checkpointer || path === ':memory:' || path === '') return
    raw.pragma(`wal_autocheckpoint = ${BACKSTOP_CHECKPOINT_PAGES}`)
    checkpointer = startCheckpointer(path, () => {
      if (raw.open) raw.pragma(`wal_autocheckpoint = ${AUTO_CHECKPOINT_PAGES}`)
    })
  }
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(raw) }) })
  let insertOne: BetterSqlite3.Statement | undefined
  const arrayStatements = new Map<string, BetterSqlite3.Statement>()
  let insertMany: BetterSqlite3.Statement | undefined
  // Reused parameter array of the bulk statement (the statement copies values when binding).
  const bulkParams: number[] = new Array<number>(BULK_ROWS * 6).fill(0)

  const transaction = <T>(fn: (trx: Kysely<Database>) => Promise<T>): Promise<T> =>
    // connection() holds Kysely's single-connection mutex, so raw statements below cannot interleave.
    db.connection().execute(async (conn) => {
      await sql`begin immediate`.execute(conn)
      try {
        const result = await fn(conn)
        await sql`commit`.execute(conn)
        return result
      } catch (e) {
        if (raw.inTransaction) await sql`rollback`.execute(conn)
        throw e
      }
    })

  return {
    kind: 'sqlite',
    db,
    autoIncrement: 'integer',
    tableSuffix: sql`without rowid`,
    rowLocks: false,
    transaction,
    // Measured: cached prepared statements cost ~1µs per point (physical-limits.md §1); one
    // 100-row statement is ~15% cheaper than 100 single-row calls. Kysely would re-prepare per query.
    insertMetrics(_trx, rows: MetricRow[]) {
      startBackgroundCheckpoints()
      insertOne ??= raw.prepare(`${INSERT_METRICS} ${ROW} on conflict do nothing`)
      insertMany ??= raw.prepare(`${INSERT_METRICS} ${Array(BULK_ROWS).fill(ROW).join(', ')} on conflict do nothing`)
      let i = 0
      for (; i + BULK_ROWS <= rows.length; i += BULK_ROWS) {
        const params = bulkParams
        for (let j = i, k = 0; j < i + BULK_ROWS; j++, k += 6) {
          const r = rows[j] as MetricRow
          params[k] = r.runId
          params[k + 1] = r.keyId
          params[k + 2] = r.step
          params[k + 3] = r.timestamp
          params[k + 4] = r.value
          params[k + 5] = r.isNan
        }
        insertMany.run(params)
      }
      for (; i < rows.length; i++) {
        const r = rows[i] as MetricRow
        insertOne.run(r.runId, r.keyId, r.step, r.timestamp, r.value, r.isNan)
      }
      return Promise.resolve()
    },
    // Arrays instead of objects: reading a 25,000-point history page is dominated by row creation.
    selectArrays(_trx, query) {
      let stmt = arrayStatements.get(query.sql)
      if (stmt === undefined) {
        stmt = raw.prepare(query.sql).raw(true)
        if (arrayStatements.size >= STATEMENT_CACHE_SIZE) arrayStatements.clear()
        arrayStatements.set(query.sql, stmt)
      }
      return Promise.resolve(stmt.all(...(query.parameters as unknown[])) as unknown[][])
    },
    // SQLite renders doubles shortest-round-trip in JSON (0.1, 0.30000000000000004); non-finite
    // values become MLflow's strings. 1M points in ~0.25 s (physical-limits.md §1).
    metricJsonArray(page, key) {
      const max = sql.raw('1.7976931348623157e308')
      return sql<{ json: string; n: number }>`select coalesce(json_group_array(json_object(
          'key', ${key},
          'value', case when p.is_nan = 1 then 'NaN' when p.value > ${max} then 'Infinity'
            when p.value < -${max} then '-Infinity' else p.value end,
          'timestamp', p.timestamp, 'step', p.step)), '[]') as json, count(*) as n
        from (${page}) as p`
    },
    like(expr: RawBuilder<unknown>, pattern: string, caseInsensitive: boolean) {
      return caseInsensitive ? sql`lower(${expr}) like lower(${pattern})` : sql`${expr} like ${pattern}`
    },
    withMigrationLock: (fn) => fn(),
    isUniqueViolation(e: unknown) {
      const code = (e as { code?: unknown }).code
      return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
    },
    async close() {
      await checkpointer?.stop()
      await db.destroy()
    },
  }
}
