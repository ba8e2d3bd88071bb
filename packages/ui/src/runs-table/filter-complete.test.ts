import { describe, expect, it } from 'vitest'
import { complete, wordStart } from './filter-complete.ts'

const keys = {
  params: ['lr', 'optimizer', 'batch size'],
  metrics: ['loss', 'val_loss', 'acc'],
  tags: ['team'],
}

describe('filter completion', () => {
  it('offers entity prefixes, then the keys of that entity', () => {
    expect(complete('me', 2, keys).items.map((i) => i.insert)).toEqual(['metrics.'])
    expect(complete('metrics.', 8, keys).items.map((i) => i.insert)).toEqual([
      'metrics.loss',
      'metrics.val_loss',
      'metrics.acc',
    ])
    expect(complete('metrics.lo', 10, keys).items.map((i) => i.insert)).toEqual([
      'metrics.loss',
      'metrics.val_loss',
    ])
  })
  it('completes the word at the caret after other clauses and quotes odd keys', () => {
    const text = 'metrics.loss < 0.5 OR (params.b'
    const r = complete(text, text.length, keys)
    expect(r.start).toBe(text.indexOf('params.b'))
    expect(r.items.map((i) => i.insert)).toEqual(['params.`batch size`'])
  })
  it('stays quiet inside string literals and on a complete key', () => {
    expect(complete("params.optimizer = 'met", 23, keys).items).toEqual([])
    expect(complete('tags.team', 9, keys).items).toEqual([])
  })
  it('finds the word start over key characters only', () => {
    expect(wordStart('a = 1 AND metrics.x', 19)).toBe(10)
    expect(wordStart('(tags.t', 7)).toBe(1)
  })
})
