import { afterAll, beforeAll, describe } from 'vitest'
import { experimentAndRunCases } from './runs.case.ts'
import { metricAndSearchCases } from './metrics-search.case.ts'
import { loggedModelCases } from './logged-models.case.ts'
import { registryCases } from './registry.case.ts'
import { registrySearchCases } from './registry-search.case.ts'
import { postgresAvailable } from './testing/postgres-cluster.ts'
import { requireComponent } from './testing/require-component.ts'
import { PostgresStores } from './testing/store-backends.ts'

const available = requireComponent('PostgreSQL', postgresAvailable(), 'no server binaries under /usr/lib/postgresql/*/bin')

describe.skipIf(!available)('TrackingStore on PostgreSQL', () => {
  const stores = new PostgresStores()
  beforeAll(() => stores.start(), 120_000)
  afterAll(() => stores.stop())
  describe('experiments and runs', () => experimentAndRunCases(() => stores.fresh()))
  describe('metrics and search', () => metricAndSearchCases(() => stores.fresh()))
  describe('logged models', () => loggedModelCases(() => stores.fresh()))
  describe('model registry', () => registryCases(() => stores.fresh()))
  describe('model registry search', () => registrySearchCases(() => stores.fresh()))
})
