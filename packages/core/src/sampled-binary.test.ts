import { describe, expect, it } from 'vitest'
import { decodeSampledBinary, encodeSampledBinary, type SampledColumns } from './sampled-binary.ts'

const series = (runId: string, n: number): SampledColumns => ({
  run_id: runId,
  metric_key: 'lössy "key"',
  total_points: n * 3,
  sampled: n > 2,
  x: Array.from({ length: n }, (_, i) => i * 1024 - 2 ** 53),
  min: Array.from({ length: n }, (_, i) => (i === 1 ? Number.NaN : -i / 3)),
  max: Array.from({ length: n }, (_, i) => (i === 2 ? Number.POSITIVE_INFINITY : i * 0.1)),
  last: Array.from({ length: n }, (_, i) => (i === 0 ? Number.NEGATIVE_INFINITY : 0.30000000000000004 * i)),
  count: Array.from({ length: n }, (_, i) => i + 1),
})

describe('sampled binary', () => {
  it('round-trips every double exactly, NaN and infinities included, for any header length', () => {
    for (const list of [[], [series('a', 0)], [series('run-1', 5), series('b', 977), series('ü', 1)]]) {
      const bytes = encodeSampledBinary(list)
      const copy = bytes.slice().buffer
      const back = decodeSampledBinary(copy)
      expect(back.map((s) => ({ ...s, x: [...s.x], min: [...s.min], max: [...s.max], last: [...s.last], count: [...s.count] }))).toEqual(list)
    }
  })

  it('rejects bodies that are not an answer, or are cut short', () => {
    expect(() => decodeSampledBinary(new TextEncoder().encode('{"series":[]}').buffer)).toThrow(/not a binary/)
    const bytes = encodeSampledBinary([series('a', 10)])
    expect(() => decodeSampledBinary(bytes.slice(0, bytes.length - 8).buffer)).toThrow(/truncated/)
    expect(() => decodeSampledBinary(bytes.slice(0, 12).buffer)).toThrow(/truncated/)
  })

  it('refuses lists of different lengths', () => {
    expect(() => encodeSampledBinary([{ ...series('a', 3), count: [1] }])).toThrow(/count has 1 values, x has 3/)
  })
})
