import { mkdirSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { invalidParam } from '@logbook/core'
import type { DialectAdapter } from './dialect/dialect-adapter.ts'
import { createPostgresAdapter } from './dialect/postgres-dialect.ts'
import { createSqliteAdapter } from './dialect/sqlite-dialect.ts'
import { createSqlTrackingStore } from './sql-tracking-store.ts'
import type { LogbookStore } from './logbook-store.ts'

/** Resolve a backend-store URI (sqlite:///path, postgresql://..., or a bare file path) to an adapter. */
export function openAdapter(uri: string): DialectAdapter {
  if (/^postgres(ql)?:\/\//.test(uri)) return createPostgresAdapter(uri.replace(/^postgresql\+\w+:/, 'postgresql:'))
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
  return createSqliteAdapter(path)
}

/** Open (and migrate) the store behind a backend-store URI: tracking, logged models and registry. */
export function openTrackingStore(uri: string, options: { defaultArtifactRoot: string }): Promise<LogbookStore> {
  return createSqlTrackingStore(openAdapter(uri), options)
}
