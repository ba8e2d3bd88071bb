import { describe, expect, it } from 'vitest'
import { MlflowError } from '../errors.ts'
import type { Comparator, Comparison, Entity } from './ast.ts'
import {
  parseModelVersionFilter,
  parseModelVersionOrderBy,
  parseRegisteredModelFilter,
  parseRegisteredModelOrderBy,
} from './registry-filter.ts'

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

describe('parseRegisteredModelFilter', () => {
  it('parses name and tag comparisons joined by AND', () => {
    expect(parseRegisteredModelFilter(undefined)).toBeUndefined()
    expect(parseRegisteredModelFilter("name = 'iris'")).toEqual(
      cmp('attribute', 'name', '=', 'iris'),
    )
    expect(parseRegisteredModelFilter("attribute.name ILIKE '%IR%' and tags.`a b` != 'x'")).toEqual(
      {
        kind: 'and',
        items: [cmp('attribute', 'name', 'ILIKE', '%IR%'), cmp('tag', 'a b', '!=', 'x')],
      },
    )
    expect(parseRegisteredModelFilter("name IN ('a', 'b')")).toEqual(
      cmp('attribute', 'name', 'IN', ['a', 'b']),
    )
    expect(parseRegisteredModelFilter("tags.`mlflow.prompt.is_prompt` = 'true'")).toEqual(
      cmp('tag', 'mlflow.prompt.is_prompt', '=', 'true'),
    )
  })

  it('rejects other attributes, numeric values, IN on tags and IS NULL', () => {
    expect(errorOf(() => parseRegisteredModelFilter("run_id = 'x'"))).toContain(
      "Invalid attribute key 'run_id'",
    )
    expect(errorOf(() => parseRegisteredModelFilter('name = 5'))).toContain(
      'Expected a quoted string value',
    )
    expect(errorOf(() => parseRegisteredModelFilter("tags.x IN ('a')"))).toContain(
      "Invalid comparator 'IN'",
    )
    expect(errorOf(() => parseRegisteredModelFilter('tags.x IS NULL'))).toContain(
      "Invalid comparator 'IS NULL'",
    )
    expect(errorOf(() => parseRegisteredModelFilter("metrics.x = 'a'"))).toContain(
      'Invalid attribute key',
    )
  })
})

describe('parseRegisteredModelOrderBy', () => {
  it('maps timestamp to last_updated_timestamp and rejects duplicates and unknown keys', () => {
    expect(parseRegisteredModelOrderBy(['name DESC', 'timestamp'])).toEqual([
      { entity: 'attribute', key: 'name', ascending: false },
      { entity: 'attribute', key: 'last_updated_timestamp', ascending: true },
    ])
    expect(
      errorOf(() => parseRegisteredModelOrderBy(['timestamp', 'last_updated_timestamp DESC'])),
    ).toContain('duplicate')
    expect(errorOf(() => parseRegisteredModelOrderBy(['creation_timestamp']))).toContain(
      'Invalid attribute key',
    )
    expect(errorOf(() => parseRegisteredModelOrderBy(['tags.x']))).toContain('Cannot order')
  })
})

describe('parseModelVersionFilter', () => {
  it('parses string attributes, run_id lists, version numbers and tags', () => {
    expect(parseModelVersionFilter("name='m' AND version_number >= 2")).toEqual({
      kind: 'and',
      items: [cmp('attribute', 'name', '=', 'm'), cmp('attribute', 'version_number', '>=', 2)],
    })
    expect(parseModelVersionFilter("run_id IN ('a', 'b')")).toEqual(
      cmp('attribute', 'run_id', 'IN', ['a', 'b']),
    )
    expect(parseModelVersionFilter("source_path LIKE 'runs:/%'")).toEqual(
      cmp('attribute', 'source_path', 'LIKE', 'runs:/%'),
    )
    expect(parseModelVersionFilter("tag.k = 'v'")).toEqual(cmp('tag', 'k', '=', 'v'))
  })

  it('rejects float versions, IN on source_path and unknown attributes', () => {
    expect(errorOf(() => parseModelVersionFilter('version_number = 1.5'))).toContain(
      'an integer value',
    )
    expect(errorOf(() => parseModelVersionFilter("version_number = '1'"))).toContain(
      'an integer value',
    )
    expect(errorOf(() => parseModelVersionFilter("source_path IN ('a')"))).toContain(
      "Invalid comparator 'IN'",
    )
    expect(errorOf(() => parseModelVersionFilter("stage = 'None'"))).toContain(
      "Invalid attribute key 'stage'",
    )
  })
})

describe('parseModelVersionOrderBy', () => {
  it('accepts the four keys and rejects others', () => {
    expect(parseModelVersionOrderBy(['version_number DESC', 'creation_timestamp'])).toEqual([
      { entity: 'attribute', key: 'version_number', ascending: false },
      { entity: 'attribute', key: 'creation_timestamp', ascending: true },
    ])
    expect(errorOf(() => parseModelVersionOrderBy(['run_id']))).toContain(
      "Invalid attribute key 'run_id'",
    )
  })
})
