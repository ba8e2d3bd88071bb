import type { CompiledQuery, Kysely, RawBuilder, SelectQueryBuilder } from 'kysely'
import type { Database, MetricRow } from '../schema.ts'

/** The columns of a metric history page. */
export type MetricColumns = { step: number; timestamp: number; value: number; is_nan: number }

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
  /** Hot path: insert metric points, ignoring exact duplicates. */
  insertMetrics(trx: Kysely<Database>, rows: MetricRow[]): Promise<void>
  /** Hot read path: run a compiled query and get rows as arrays (no per-row objects). */
  selectArrays(trx: Kysely<Database>, query: CompiledQuery): Promise<unknown[][]>
  /**
   * Hot read path: a query yielding one row `{ json, n }`, the JSON array of MLflow metric objects
   * for the rows of `page` (columns step, timestamp, value, is_nan) and their count; undefined where
   * JS encoding is faster.
   */
  metricJsonArray(page: SelectQueryBuilder<Database, 'metrics', MetricColumns>, key: string): RawBuilder<{ json: string; n: number }> | undefined
  /** Case-sensitive LIKE / case-insensitive ILIKE of an SQL expression against a pattern. */
  like(expr: RawBuilder<unknown>, pattern: string, caseInsensitive: boolean): RawBuilder<unknown>
  /** Run migrations (or anything) while holding a cross-process lock. */
  withMigrationLock<T>(fn: () => Promise<T>): Promise<T>
  /** Is the error a unique-constraint violation? (translated to RESOURCE_ALREADY_EXISTS) */
  isUniqueViolation(e: unknown): boolean
  close(): Promise<void>
}
