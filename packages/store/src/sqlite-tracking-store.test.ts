import { describe } from 'vitest'
import { experimentAndRunCases } from './runs.case.ts'
import { metricAndSearchCases } from './metrics-search.case.ts'
import { loggedModelCases } from './logged-models.case.ts'
import { registryCases } from './registry.case.ts'
import { registrySearchCases } from './registry-search.case.ts'
import { freshSqliteStore } from './testing/store-backends.ts'

describe('TrackingStore on SQLite: experiments and runs', () => experimentAndRunCases(freshSqliteStore))
describe('TrackingStore on SQLite: metrics and search', () => metricAndSearchCases(freshSqliteStore))
describe('LoggedModelStore on SQLite', () => loggedModelCases(freshSqliteStore))
describe('RegistryStore on SQLite', () => registryCases(freshSqliteStore))
describe('RegistryStore on SQLite: search', () => registrySearchCases(freshSqliteStore))
