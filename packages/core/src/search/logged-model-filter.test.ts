import { describe, expect, it } from 'vitest'
import { MlflowError } from '../errors.ts'
import type { Comparator, Comparison, Entity } from './ast.ts'
import { parseLoggedModelFilter, parseLoggedModelOrderBy } from './logged-model-filter.ts'

const cmp = (
  entity: Entity,
  key: string,
  op: Comparator,
  value: Comparison['value'],
): Comparison => ({
  kind: 'cmp',
  entity,
  key,
  op,
  value,
})

function errorOf(run: () => unknown): string {
  try {
    run()
  } catch (e) {
    expect(e).toBeInstanceOf(MlflowError)
    expect((e as MlflowError).code).toBe('INVALID_PARAMETER_VALUE')
    return (e as MlflowError).message
  }
  throw new Error('expected an error')
}

describe('parseLoggedModelFilter', () => {
  it('parses the filter the client issues for runs:/ resolution', () => {
    expect(parseLoggedModelFilter("name = 'model'")).toEqual(cmp('attribute', 'name', '=', 'model'))
  })

  it('parses attributes with aliases, metrics, params and tags', () => {
    expect(parseLoggedModelFilter('creation_time > 5')).toEqual(
      cmp('attribute', 'creation_timestamp', '>', 5),
    )
    expect(parseLoggedModelFilter('attributes.last_updated_timestamp_ms <= 1.5e3')).toEqual(
      cmp('attribute', 'last_updated_timestamp', '<=', 1500),
    )
    expect(parseLoggedModelFilter("status IN ('LOGGED_MODEL_READY')")).toEqual(
      cmp('attribute', 'status', 'IN', ['LOGGED_MODEL_READY']),
    )
    expect(parseLoggedModelFilter('metrics.`val acc` >= 0.9')).toEqual(
      cmp('metric', 'val acc', '>=', 0.9),
    )
    expect(parseLoggedModelFilter("params.lr NOT IN ('0.1') AND tags.team LIKE 'ml%'")).toEqual({
      kind: 'and',
      items: [cmp('param', 'lr', 'NOT IN', ['0.1']), cmp('tag', 'team', 'LIKE', 'ml%')],
    })
  })

  it('rejects string comparators on numbers and numeric ones on strings', () => {
    expect(errorOf(() => parseLoggedModelFilter("metrics.acc LIKE 'x'"))).toContain(
      "Invalid comparator 'LIKE'",
    )
    expect(errorOf(() => parseLoggedModelFilter("name > 'a'"))).toContain("Invalid comparator '>'")
    expect(errorOf(() => parseLoggedModelFilter("creation_timestamp = 'a'"))).toContain(
      'numeric value',
    )
    expect(errorOf(() => parseLoggedModelFilter("artifact_uri = 'x'"))).toContain(
      'Invalid attribute key',
    )
    expect(errorOf(() => parseLoggedModelFilter('params.lr IS NULL'))).toContain(
      "Invalid comparator 'IS NULL'",
    )
  })
})

describe('parseLoggedModelOrderBy', () => {
  it('maps attribute aliases and metrics with datasets', () => {
    expect(
      parseLoggedModelOrderBy([
        { field_name: 'creation_time', ascending: false },
        { field_name: 'metrics.acc', dataset_name: 'train', dataset_digest: '' },
      ]),
    ).toEqual([
      { entity: 'attribute', key: 'creation_timestamp', ascending: false },
      { entity: 'metric', key: 'acc', ascending: true, datasetName: 'train' },
    ])
  })

  it('rejects params, tags and unknown attributes', () => {
    expect(errorOf(() => parseLoggedModelOrderBy([{ field_name: 'params.lr' }]))).toContain(
      'Only metrics',
    )
    expect(errorOf(() => parseLoggedModelOrderBy([{ field_name: 'bogus' }]))).toContain(
      'Invalid order by field name',
    )
  })
})
