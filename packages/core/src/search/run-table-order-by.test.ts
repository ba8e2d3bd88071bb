import { describe, expect, it } from 'vitest'
import { MlflowError } from '../errors.ts'
import { parseRunOrderBy } from './run-order-by.ts'
import { parseRunTableOrderBy } from './run-table-order-by.ts'

function errorOf(fn: () => unknown): MlflowError {
  try {
    fn()
  } catch (e) {
    expect(e).toBeInstanceOf(MlflowError)
    return e as MlflowError
  }
  throw new Error('expected an error')
}

describe('parseRunTableOrderBy', () => {
  it('parses min()/max() of a metric next to every search-runs term', () => {
    expect(
      parseRunTableOrderBy(['metrics.`loss` DESC', 'min(metrics.`loss`) ASC', 'MAX( metrics.acc )desc', 'params.lr', 'attributes.start_time DESC']),
    ).toEqual([
      { entity: 'metric', key: 'loss', ascending: false },
      { entity: 'metric', key: 'loss', ascending: true, aggregate: 'min' },
      { entity: 'metric', key: 'acc', ascending: false, aggregate: 'max' },
      { entity: 'param', key: 'lr', ascending: true },
      { entity: 'attribute', key: 'start_time', ascending: false },
    ])
    expect(parseRunTableOrderBy(['min(metrics.`a)b`)'])).toEqual([{ entity: 'metric', key: 'a)b', ascending: true, aggregate: 'min' }])
  })

  it('rejects aggregates of non-metrics, duplicates and garbage with INVALID_PARAMETER_VALUE', () => {
    expect(errorOf(() => parseRunTableOrderBy(['min(params.lr)'])).message).toContain('takes a metric')
    expect(errorOf(() => parseRunTableOrderBy(['max(metrics.a)', 'max(metrics.a) desc'])).message).toContain('duplicate')
    expect(errorOf(() => parseRunTableOrderBy(['min(metrics.a) sideways'])).code).toBe('INVALID_PARAMETER_VALUE')
    expect(errorOf(() => parseRunTableOrderBy(['avg(metrics.a)'])).code).toBe('INVALID_PARAMETER_VALUE')
  })

  it('leaves search-runs rejecting aggregates, as MLflow does', () => {
    expect(errorOf(() => parseRunOrderBy(['min(metrics.loss)'])).code).toBe('INVALID_PARAMETER_VALUE')
  })
})
