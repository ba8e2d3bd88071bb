import { describe, expect, it } from 'vitest'
import { fastMetrics } from './fast-metrics.ts'

describe('fastMetrics', () => {
  it('accepts the common shape and defaults step to 0', () => {
    expect(fastMetrics([{ key: 'a', value: 1.5, timestamp: 10 }, { key: 'b', value: 'NaN', timestamp: 1, step: 3 }])).toEqual([
      { key: 'a', value: 1.5, timestamp: 10, step: 0 },
      { key: 'b', value: Number.NaN, timestamp: 1, step: 3 },
    ])
  })

  it('declines anything unusual so the schema can report it', () => {
    for (const bad of [
      'x',
      [null],
      [{ key: '', value: 1, timestamp: 1 }],
      [{ key: 'a', value: 'abc', timestamp: 1 }],
      [{ key: 'a', value: 1 }],
      [{ key: 'a', value: 1, timestamp: '5' }],
      [{ key: 'a', value: 1, timestamp: 1, step: 1.5 }],
      [{ key: 'a', value: 1, timestamp: 1, model_id: 'm-0123' }],
    ]) {
      expect(fastMetrics(bad)).toBeUndefined()
    }
  })
})
