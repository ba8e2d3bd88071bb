import { mkdirSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { invalidParam } from '@logbook/core'
import type { DialectAdapter } from './dialect/dialect-adapter.ts'
import { createPostgresAdapter } from './dialect/postgres-dialect.ts'
import { createSqliteAdapter } from './dialect/sqlite-dialect.ts'
import { withSqliteWriteThread } from './dialect/sqlite-write-thread.ts'
import { createSqlTrackingStore } from './sql-tracking-store.ts'
import { withHistoryReadAhead } from './history-read-ahead.ts'
import type { LogbookStore } from './logbook-store.ts'

/** The SQLite file a backend-store URI names, or undefined for PostgreSQL; creates its folder. */
function sqlitePath(uri: string): string | undefined {
  if (/^postgres(ql)?:\/\//.test(uri)) return undefined
  let path: string
  if (uri.startsWith('sqlite:///')) path = uri.slice('sqlite:///'.length)
  else if (uri.startsWith('sqlite://')) throw invalidParam(`Unsupported SQLite URI '${uri}': use sqlite:///<path>`)
  else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(uri)) throw invalidParam(`Unsupported backend store URI '${uri}'`)
  else path = uri
  // sqlite:///relative/path and sqlite:////absolute/path, as in SQLAlchemy URLs.
  if (path !== ':memory:') {
    path = resolve(path)
    mkdirSync(dirname(path), { recursive: true })
  }
  return path
}

/** The adapter of a URI whose SQLite path (undefined: PostgreSQL) is already resolved. */
function adapterFor(uri: string, path: string | undefined): DialectAdapter {
  return path === undefined ? createPostgresAdapter(uri.replace(/^postgresql\+\w+:/, 'postgresql:')) : createSqliteAdapter(path)
}

/** Resolve a backend-store URI (sqlite:///path, postgresql://..., or a bare file path) to an adapter. */
export function openAdapter(uri: string): DialectAdapter {
  return adapterFor(uri, sqlitePath(uri))
}

/** What a serving process adds to the store; CLI commands and tests open it plain. */
export interface ServingOptions {
  /** SQLite: metric writes on a thread of their own (dialect/sqlite-write-thread.ts). */
  writeThread?: boolean
  /** Compute the next page of a long metric history before it is asked for (history-read-ahead.ts). */
  readAhead?: boolean
}

/** Open (and migrate) the store behind a backend-store URI: tracking, logged models and registry. */
export async function openTrackingStore(
  uri: string,
  options: { defaultArtifactRoot: string } & ServingOptions,
): Promise<LogbookStore> {
  const path = sqlitePath(uri)
  let store = await createSqlTrackingStore(adapterFor(uri, path), options)
  if (options.writeThread && path !== undefined && path !== ':memory:') {
    try {
      store = await withSqliteWriteThread(store, path, options)
    } catch (e) {
      process.stderr.write(`${(e as Error).message}; writing metrics on the serving thread\n`)
    }
  }
  return options.readAhead ? withHistoryReadAhead(store) : store
}
