import { afterAll, beforeAll, describe } from 'vitest'
import { authCases } from './auth.case.ts'
import { postgresAvailable } from './testing/postgres-cluster.ts'
import { requireComponent } from './testing/require-component.ts'
import { PostgresStores, freshSqliteStore } from './testing/store-backends.ts'

describe('AuthStore on SQLite', () => authCases(freshSqliteStore))

const available = requireComponent('PostgreSQL', postgresAvailable(), 'no server binaries under /usr/lib/postgresql/*/bin')

describe.skipIf(!available)('AuthStore on PostgreSQL', () => {
  const stores = new PostgresStores()
  beforeAll(() => stores.start(), 120_000)
  afterAll(() => stores.stop())
  authCases(() => stores.fresh())
})
