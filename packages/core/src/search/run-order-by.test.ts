import { describe, expect, it } from 'vitest'
import { MlflowError } from '../errors.ts'
import { parseRunOrderBy } from './run-order-by.ts'

function orderByError(orderBy: string[]): string {
  try {
    parseRunOrderBy(orderBy)
  } catch (e) {
    expect(e).toBeInstanceOf(MlflowError)
    expect((e as MlflowError).code).toBe('INVALID_PARAMETER_VALUE')
    return (e as MlflowError).message
  }
  throw new Error(`expected parseRunOrderBy(${JSON.stringify(orderBy)}) to throw`)
}

describe('parseRunOrderBy', () => {
  it('returns no terms for undefined or an empty list', () => {
    expect(parseRunOrderBy(undefined)).toEqual([])
    expect(parseRunOrderBy([])).toEqual([])
  })

  it('parses each entity, defaulting to ascending', () => {
    expect(
      parseRunOrderBy([
        'metrics.rmse',
        'params.lr DESC',
        'tags.team asc',
        'attributes.status Desc',
      ]),
    ).toEqual([
      { entity: 'metric', key: 'rmse', ascending: true },
      { entity: 'param', key: 'lr', ascending: false },
      { entity: 'tag', key: 'team', ascending: true },
      { entity: 'attribute', key: 'status', ascending: false },
    ])
  })

  it('accepts every orderable attribute with or without a prefix', () => {
    const keys = [
      'run_id',
      'run_name',
      'status',
      'user_id',
      'artifact_uri',
      'start_time',
      'end_time',
      'experiment_id',
    ]
    expect(parseRunOrderBy(keys)).toEqual(
      keys.map((key) => ({ entity: 'attribute', key, ascending: true })),
    )
    expect(parseRunOrderBy(['attr.end_time DESC', 'run.run_id'])).toEqual([
      { entity: 'attribute', key: 'end_time', ascending: false },
      { entity: 'attribute', key: 'run_id', ascending: true },
    ])
  })

  it('maps attribute aliases to canonical keys', () => {
    expect(parseRunOrderBy(['created DESC'])).toEqual([
      { entity: 'attribute', key: 'start_time', ascending: false },
    ])
    expect(parseRunOrderBy(['attributes.Created'])).toEqual([
      { entity: 'attribute', key: 'start_time', ascending: true },
    ])
    expect(parseRunOrderBy(['attributes.`Run Name` DESC'])).toEqual([
      { entity: 'attribute', key: 'run_name', ascending: false },
    ])
  })

  it('accepts quoted and dotted keys', () => {
    expect(
      parseRunOrderBy(['metrics.`my metric` DESC', 'tags."mlflow.user"', 'params.a.b']),
    ).toEqual([
      { entity: 'metric', key: 'my metric', ascending: false },
      { entity: 'tag', key: 'mlflow.user', ascending: true },
      { entity: 'param', key: 'a.b', ascending: true },
    ])
  })

  it('tolerates surrounding whitespace', () => {
    expect(parseRunOrderBy(['  metrics.rmse   DESC  '])).toEqual([
      { entity: 'metric', key: 'rmse', ascending: false },
    ])
  })

  it('rejects more than an identifier and a direction', () => {
    expect(orderByError(['metrics.rmse DESC extra'])).toBe(
      `Invalid order_by clause "metrics.rmse DESC extra": unexpected 'extra' at position 19. Expected end of input after ASC or DESC`,
    )
    expect(orderByError(['metrics.rmse ASC DESC'])).toContain("unexpected 'DESC' at position 18")
  })

  it('rejects a direction other than ASC or DESC', () => {
    expect(orderByError(['metrics.rmse descending'])).toContain(
      "unexpected 'descending' at position 14. Expected ASC or DESC",
    )
    expect(orderByError(['metrics.rmse > 1'])).toContain("unexpected '>' at position 14")
  })

  it('rejects an empty clause or one without an identifier', () => {
    expect(orderByError([''])).toContain('Invalid order_by clause "": expected an identifier')
    expect(orderByError(['DESC'])).toContain("unexpected 'DESC' at position 1")
  })

  it('rejects unknown attributes and datasets', () => {
    expect(orderByError(['name'])).toContain("Invalid attribute key 'name' at position 1")
    expect(orderByError(['name'])).toContain('experiment_id')
    expect(orderByError(['metricz.rmse'])).toContain("Invalid attribute key 'metricz.rmse'")
    expect(orderByError(['datasets.name DESC'])).toContain(
      "Cannot order by dataset field 'name' at position 1",
    )
  })

  it('rejects duplicate fields, including aliases of the same field', () => {
    expect(orderByError(['metrics.rmse', 'metrics.rmse DESC'])).toBe(
      'order_by contains duplicate fields: metrics.rmse',
    )
    expect(orderByError(['start_time', 'created DESC', 'metric.`a b`', 'metrics.`a b`'])).toBe(
      'order_by contains duplicate fields: attributes.start_time, metrics.`a b`',
    )
  })

  it('treats the same key under different entities as distinct', () => {
    expect(parseRunOrderBy(['metrics.x', 'params.x', 'tags.x'])).toHaveLength(3)
  })
})
