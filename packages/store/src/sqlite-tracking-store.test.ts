import { describe } from 'vitest'
import { experimentAndRunCases } from './runs.case.ts'
import { metricAndSearchCases } from './metrics-search.case.ts'
import { freshSqliteStore } from './testing/store-backends.ts'

describe('TrackingStore on SQLite: experiments and runs', () => experimentAndRunCases(freshSqliteStore))
describe('TrackingStore on SQLite: metrics and search', () => metricAndSearchCases(freshSqliteStore))
