import { encodeSampledBinary } from '@logbook/core/sampled-binary'
import { describe, expect, it } from 'vitest'
import { pairByStep, smooth, takePreload, type RunSeries } from './series.ts'

const series = (x: number[], last: number[]): RunSeries => ({
  runId: 'r',
  sampled: false,
  totalPoints: x.length,
  x,
  last,
  min: last,
  max: last,
})

describe('smooth', () => {
  it('is the identity at weight 0 and debiases the first point', () => {
    expect(smooth([1, 2, 3], 0)).toEqual([1, 2, 3])
    const out = smooth([4, 4, 4], 0.9)
    for (const v of out) expect(v).toBeCloseTo(4, 10)
  })

  it('lags behind a step change and passes NaN through without poisoning later points', () => {
    const out = smooth([0, 0, 10, 10], 0.5)
    expect(out[2]).toBeGreaterThan(0)
    expect(out[2]).toBeLessThan(10)
    expect(out[3]).toBeGreaterThan(out[2]!)
    const withNan = smooth([1, Number.NaN, 1], 0.5)
    expect(withNan[1]).toBeNaN()
    expect(withNan[2]).toBeCloseTo(1, 10)
  })
})

describe('pairByStep', () => {
  it('pairs equal steps only and sorts by the x metric', () => {
    const loss = series([0, 1, 2, 3], [1, 0.5, 0.3, 0.2])
    const acc = series([0, 2, 3, 9], [0.9, 0.5, 0.7, 1])
    const paired = pairByStep(loss, acc)
    expect(paired.x).toEqual([0.5, 0.7, 0.9])
    expect(paired.last).toEqual([0.3, 0.2, 1])
  })
})

describe('takePreload', () => {
  const body = { run_ids: ['a', 'b'], metric_key: 'loss', x_axis: 'step' as const, buckets: 1000 }
  const answer = [{ run_id: 'a', metric_key: 'loss', total_points: 1, sampled: false, x: [0], min: [1], max: [Number.NaN], last: [1], count: [1] }]
  const bytes = () => encodeSampledBinary(answer).slice().buffer
  const preload = (over: Partial<typeof body> = {}, response: ArrayBuffer | null = bytes()) => {
    ;(globalThis as { __logbookPreload?: unknown }).__logbookPreload = { body: { ...body, ...over }, response: Promise.resolve(response) }
  }

  it('hands the preloaded answer to the same request, about the same bucket count, once', async () => {
    preload({ buckets: 1100 })
    const taken = await takePreload(body)
    expect(taken?.map((s) => ({ ...s, x: [...s.x], min: [...s.min], max: [...s.max], last: [...s.last], count: [...s.count] }))).toEqual(answer)
    expect(await takePreload(body)).toBeUndefined()
  })

  it('drops a preloaded answer that is not the binary form', async () => {
    preload({}, new TextEncoder().encode('{"series":[]}').buffer)
    expect(await takePreload(body)).toBeUndefined()
  })

  it('leaves other requests, and a failed preload, to the chart; only the first request may take it', async () => {
    const cases: [Partial<typeof body>, Parameters<typeof takePreload>[0]][] = [
      [{ metric_key: 'acc' }, body],
      [{ run_ids: ['b', 'a'] }, body],
      [{ buckets: 500 }, body],
      [{}, { ...body, min_x: 1, max_x: 5 }],
      [{}, { ...body, x_axis: 'timestamp' }],
    ]
    for (const [over, asked] of cases) {
      preload(over)
      expect(await takePreload(asked)).toBeUndefined()
      expect(await takePreload(body)).toBeUndefined()
    }
    preload({}, null)
    expect(await takePreload(body)).toBeUndefined()
  })
})
