import BetterSqlite3 from 'better-sqlite3'
import { Kysely, SqliteDialect, sql, type RawBuilder } from 'kysely'
import type { Database } from '../schema.ts'
import type { ChunkRow, DialectAdapter } from './dialect-adapter.ts'
import { startCheckpointer, type Checkpointer } from './sqlite-checkpointer.ts'

const STATEMENT_CACHE_SIZE = 256
/** Rows per chunk insert statement. */
const CHUNK_ROWS = 64
const INSERT_CHUNKS = 'insert into metric_chunks (run_id, key_id, block, seq, data) values'
const CHUNK_ROW = '(?, ?, ?, ?, ?)'
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
  const arrayStatements = new Map<string, BetterSqlite3.Statement>()
  const insertChunks = new Map<number, BetterSqlite3.Statement>()

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
    // Prepared multi-row statements by row count (a 1,000-point batch is 10-20 chunks); Kysely
    // would build and compile the query for each batch.
    insertChunks(_trx, rows: ChunkRow[]) {
      startBackgroundCheckpoints()
      for (let i = 0; i < rows.length; i += CHUNK_ROWS) {
        const n = Math.min(CHUNK_ROWS, rows.length - i)
        let stmt = insertChunks.get(n)
        if (stmt === undefined) insertChunks.set(n, (stmt = raw.prepare(`${INSERT_CHUNKS} ${Array(n).fill(CHUNK_ROW).join(', ')}`)))
        const params: unknown[] = []
        for (let j = i; j < i + n; j++) {
          const r = rows[j] as ChunkRow
          params.push(r.runId, r.keyId, r.block, r.seq, r.data)
        }
        stmt.run(params)
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
