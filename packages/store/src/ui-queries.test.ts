import { afterAll, beforeAll, describe } from 'vitest'
import { uiQueryCases } from './ui-queries.case.ts'
import { postgresAvailable } from './testing/postgres-cluster.ts'
import { requireComponent } from './testing/require-component.ts'
import { PostgresStores, freshSqliteStore } from './testing/store-backends.ts'

describe('UiQueries on SQLite', () => uiQueryCases(freshSqliteStore))

const available = requireComponent('PostgreSQL', postgresAvailable(), 'no server binaries under /usr/lib/postgresql/*/bin')

describe.skipIf(!available)('UiQueries on PostgreSQL', () => {
  const stores = new PostgresStores()
  beforeAll(() => stores.start(), 120_000)
  afterAll(() => stores.stop())
  uiQueryCases(() => stores.fresh())
})
