import { describe, expect, it } from 'vitest'
import * as search from './index.ts'

describe('search index', () => {
  it('exposes the four parsers and the AST constants', () => {
    expect(search.parseRunFilter("tags.a = 'b'")).toEqual({
      kind: 'cmp',
      entity: 'tag',
      key: 'a',
      op: '=',
      value: 'b',
    })
    expect(search.parseRunOrderBy(['metrics.a'])).toHaveLength(1)
    expect(search.parseExperimentFilter("name = 'x'")).toMatchObject({ key: 'name' })
    expect(search.parseExperimentOrderBy(['name DESC'])).toEqual([
      { entity: 'attribute', key: 'name', ascending: false },
    ])
    expect(search.DATASET_KEYS).toEqual(['name', 'digest', 'context'])
  })
})
