import type { CompiledQuery, Kysely, RawBuilder } from 'kysely'
import type { Database } from '../schema.ts'

/** A row of metric_chunks (migration 0009). */
export interface ChunkRow {
  runId: number
  keyId: number
  block: number
  seq: number
  data: Buffer
}

/** What differs between SQLite and PostgreSQL; everything else is one Kysely implementation. */
export interface DialectAdapter {
  readonly kind: 'sqlite' | 'postgres'
  readonly db: Kysely<Database>
  /** Column type of an auto-incrementing integer primary key. */
  readonly autoIncrement: 'integer' | 'bigint'
  /** SQLite WITHOUT ROWID tables: narrower, faster clustered metric storage. */
  readonly tableSuffix: RawBuilder<unknown> | undefined
  /** Row locks (`SELECT ... FOR UPDATE`) exist; SQLite needs none because a writer holds the database lock. */
  readonly rowLocks: boolean
  /** Run `fn` in a write transaction that takes the write lock up front (SQLite: BEGIN IMMEDIATE). */
  transaction<T>(fn: (trx: Kysely<Database>) => Promise<T>): Promise<T>
  /** Hot path: insert chunks of metric points (sql/metric-chunks.ts decides their contents). */
  insertChunks(trx: Kysely<Database>, rows: ChunkRow[]): Promise<void>
  /** Hot read path: run a compiled query and get rows as arrays (no per-row objects). */
  selectArrays(trx: Kysely<Database>, query: CompiledQuery): Promise<unknown[][]>
  /** Case-sensitive LIKE / case-insensitive ILIKE of an SQL expression against a pattern. */
  like(expr: RawBuilder<unknown>, pattern: string, caseInsensitive: boolean): RawBuilder<unknown>
  /** Run migrations (or anything) while holding a cross-process lock. */
  withMigrationLock<T>(fn: () => Promise<T>): Promise<T>
  /** Is the error a unique-constraint violation? (translated to RESOURCE_ALREADY_EXISTS) */
  isUniqueViolation(e: unknown): boolean
  close(): Promise<void>
}
