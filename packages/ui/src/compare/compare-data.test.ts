import { describe, expect, it } from 'vitest'
import type { WireRun } from '../run/types.ts'
import { buildColumns, differs, niceTicks, numericValue } from './compare-data.ts'

const run = (
  id: string,
  params: Record<string, string>,
  metrics: Record<string, number | 'NaN'>,
): WireRun => ({
  info: { run_id: id, experiment_id: '1', status: 'FINISHED', lifecycle_stage: 'active' },
  data: {
    params: Object.entries(params).map(([key, value]) => ({ key, value })),
    metrics: Object.entries(metrics).map(([key, value]) => ({ key, value, timestamp: 0, step: 0 })),
  },
})

describe('compare columns', () => {
  const runs = [
    run('a', { lr: '0.1', opt: 'adam', bs: '32' }, { loss: 0.5 }),
    run('b', { lr: '0.01', opt: 'sgd', bs: '32' }, { loss: 'NaN' }),
  ]
  const columns = buildColumns(runs)

  it('builds param and metric columns, numeric where every value parses', () => {
    expect(columns.map((c) => [c.id, c.numeric])).toEqual([
      ['params.bs', true],
      ['params.lr', true],
      ['params.opt', false],
      ['metrics.loss', true],
    ])
  })

  it('finds differences (a missing value counts) and numeric values', () => {
    const byId = (id: string) => columns.find((c) => c.id === id)!
    expect(differs(byId('params.bs'), ['a', 'b'])).toBe(false)
    expect(differs(byId('params.lr'), ['a', 'b'])).toBe(true)
    expect(differs(byId('params.bs'), ['a', 'b', 'c'])).toBe(true)
    expect(numericValue(byId('params.lr'), 'b')).toBe(0.01)
    expect(numericValue(byId('metrics.loss'), 'b')).toBeUndefined()
  })

  it('picks round ticks', () => {
    expect(niceTicks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1])
    expect(niceTicks(3, 3)).toEqual([3])
  })
})
