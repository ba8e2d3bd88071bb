import { describe, expect, it } from 'vitest'
import { MlflowError } from '../errors.ts'
import type { Comparator, Comparison, Entity } from './ast.ts'
import { parseExperimentFilter, parseExperimentOrderBy } from './experiment-filter.ts'

const cmp = (
  entity: Entity,
  key: string,
  op: Comparator,
  value: Comparison['value'],
): Comparison => ({ kind: 'cmp', entity, key, op, value })

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

describe('parseExperimentFilter', () => {
  it('returns undefined for empty filters', () => {
    expect(parseExperimentFilter(undefined)).toBeUndefined()
    expect(parseExperimentFilter('   ')).toBeUndefined()
  })

  it('parses the name attribute with every string comparator and prefix', () => {
    expect(parseExperimentFilter("name = 'exp'")).toEqual(cmp('attribute', 'name', '=', 'exp'))
    expect(parseExperimentFilter("attribute.name != 'exp'")).toEqual(
      cmp('attribute', 'name', '!=', 'exp'),
    )
    expect(parseExperimentFilter("attributes.name like 'e%'")).toEqual(
      cmp('attribute', 'name', 'LIKE', 'e%'),
    )
    expect(parseExperimentFilter('attr.name ILIKE "%X"')).toEqual(
      cmp('attribute', 'name', 'ILIKE', '%X'),
    )
  })

  it('parses numeric attributes as integers', () => {
    expect(parseExperimentFilter('creation_time > 1714400000000')).toEqual(
      cmp('attribute', 'creation_time', '>', 1714400000000),
    )
    expect(parseExperimentFilter('attributes.last_update_time <= 5')).toEqual(
      cmp('attribute', 'last_update_time', '<=', 5),
    )
  })

  it('parses tags, including IS NULL and quoted keys', () => {
    expect(parseExperimentFilter("tags.team = 'ml'")).toEqual(cmp('tag', 'team', '=', 'ml'))
    expect(parseExperimentFilter("tag.`my tag` LIKE 'a%'")).toEqual(
      cmp('tag', 'my tag', 'LIKE', 'a%'),
    )
    expect(parseExperimentFilter('tags."mlflow.note" IS NOT NULL')).toEqual(
      cmp('tag', 'mlflow.note', 'IS NOT NULL', null),
    )
    expect(parseExperimentFilter('tags.x is null')).toEqual(cmp('tag', 'x', 'IS NULL', null))
  })

  it('supports AND, OR and parentheses', () => {
    expect(
      parseExperimentFilter("name LIKE 'a%' AND (tags.t = 'x' OR creation_time > 1) or name = 'b'"),
    ).toEqual({
      kind: 'or',
      items: [
        {
          kind: 'and',
          items: [
            cmp('attribute', 'name', 'LIKE', 'a%'),
            {
              kind: 'or',
              items: [cmp('tag', 't', '=', 'x'), cmp('attribute', 'creation_time', '>', 1)],
            },
          ],
        },
        cmp('attribute', 'name', '=', 'b'),
      ],
    })
  })

  it('rejects run-only entities and unknown attributes', () => {
    expect(errorOf(() => parseExperimentFilter('metrics.rmse > 1'))).toContain(
      "Invalid attribute key 'metrics.rmse' at position 1. Valid attribute keys are: name, creation_time, last_update_time",
    )
    expect(errorOf(() => parseExperimentFilter("params.a = 'x'"))).toContain(
      "Invalid attribute key 'params.a'",
    )
    expect(errorOf(() => parseExperimentFilter("experiment_id = '1'"))).toContain(
      "Invalid attribute key 'experiment_id' at position 1",
    )
  })

  it('rejects comparators and values that do not fit', () => {
    expect(errorOf(() => parseExperimentFilter("name IN ('a')"))).toContain(
      "Invalid comparator 'IN' for attribute 'name' at position 6. Valid comparators are: =, !=, LIKE, ILIKE",
    )
    expect(errorOf(() => parseExperimentFilter('name IS NULL'))).toContain(
      "Invalid comparator 'IS NULL' for attribute 'name'",
    )
    expect(errorOf(() => parseExperimentFilter("creation_time LIKE '1'"))).toContain(
      "Invalid comparator 'LIKE' for attribute 'creation_time' at position 15",
    )
    expect(errorOf(() => parseExperimentFilter('name = exp'))).toContain(
      "Expected a quoted string value for attribute 'name' but got 'exp' at position 8",
    )
    expect(errorOf(() => parseExperimentFilter('creation_time > 1.5'))).toContain(
      "Expected an integer value for attribute 'creation_time' but got '1.5' at position 17",
    )
    expect(errorOf(() => parseExperimentFilter("tags.t > 'x'"))).toContain(
      "Invalid comparator '>' for tag 't' at position 8",
    )
  })

  it('reports syntax errors with the filter and position', () => {
    expect(errorOf(() => parseExperimentFilter("(name = 'a'"))).toBe(
      `Invalid filter "(name = 'a'": unclosed '(' at position 1`,
    )
    expect(errorOf(() => parseExperimentFilter("name = 'a' AND"))).toContain(
      "expected a comparison after 'AND' at position 12",
    )
  })
})

describe('parseExperimentOrderBy', () => {
  it('parses every orderable key, with or without an attribute prefix', () => {
    expect(
      parseExperimentOrderBy([
        'name',
        'experiment_id DESC',
        'attribute.creation_time asc',
        'attributes.last_update_time DESC',
      ]),
    ).toEqual([
      { entity: 'attribute', key: 'name', ascending: true },
      { entity: 'attribute', key: 'experiment_id', ascending: false },
      { entity: 'attribute', key: 'creation_time', ascending: true },
      { entity: 'attribute', key: 'last_update_time', ascending: false },
    ])
    expect(parseExperimentOrderBy(undefined)).toEqual([])
  })

  it('rejects unknown keys, tags and extra tokens', () => {
    expect(errorOf(() => parseExperimentOrderBy(['run_name']))).toContain(
      "Invalid attribute key 'run_name' at position 1. Valid attribute keys are: name, experiment_id, creation_time, last_update_time",
    )
    expect(errorOf(() => parseExperimentOrderBy(['tags.team DESC']))).toContain(
      "Cannot order experiments by tag 'team' at position 1",
    )
    expect(errorOf(() => parseExperimentOrderBy(['name DESC x']))).toContain(
      "unexpected 'x' at position 11",
    )
  })

  it('rejects duplicate fields', () => {
    expect(errorOf(() => parseExperimentOrderBy(['name', 'attribute.name DESC']))).toBe(
      'order_by contains duplicate fields: attributes.name',
    )
  })
})
