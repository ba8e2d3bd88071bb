import { describe, expect, it } from 'vitest'
import { isMlflowError } from './errors.ts'
import { METRIC_COLUMNS_MAX_POINTS, decodeMetricColumns, encodeMetricColumns } from './metric-columns.ts'

const columns = (n: number) => ({
  keys: ['loss', 'acc/top-1', 'ünï'],
  keyIndex: Uint32Array.from({ length: n }, (_, i) => i % 3),
  values: Float64Array.from({ length: n }, (_, i) => [0.1, Number.NaN, Number.POSITIVE_INFINITY, -0, 1e-300][i % 5] as number),
  steps: Float64Array.from({ length: n }, (_, i) => i - 2),
  timestamps: Float64Array.from({ length: n }, (_, i) => 1_700_000_000_000 + i),
})
const buffer = (bytes: Uint8Array) => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer
const errorOf = (f: () => unknown) => {
  try {
    f()
  } catch (e) {
    return isMlflowError(e) ? [e.code, e.message] : e
  }
  return undefined
}

describe('binary metric batch', () => {
  it('round-trips keys, NaN, infinities, negative zero, negative steps', () => {
    const metrics = decodeMetricColumns(buffer(encodeMetricColumns(columns(7))))
    expect(metrics).toHaveLength(7)
    expect(metrics[0]).toEqual({ key: 'loss', value: 0.1, step: -2, timestamp: 1_700_000_000_000 })
    expect(metrics[1]?.key).toBe('acc/top-1')
    expect(metrics[1]?.value).toBeNaN()
    expect(metrics[2]).toMatchObject({ key: 'ünï', value: Number.POSITIVE_INFINITY })
    expect(Object.is(metrics[3]?.value, -0)).toBe(true)
    expect(metrics[4]?.value).toBe(1e-300)
  })

  it('encodes only the first n points of larger columns', () => {
    expect(decodeMetricColumns(buffer(encodeMetricColumns(columns(9), 4)))).toHaveLength(4)
  })

  it('refuses malformed bodies with a 4xx error naming the problem', () => {
    const good = encodeMetricColumns(columns(3))
    const view = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength)
    const cases: [string, Uint8Array, RegExp][] = []
    cases.push(['short', good.slice(0, 8), /12-byte header/])
    const magic = good.slice()
    magic[0] = 0x58
    cases.push(['magic', magic, /LBM1/])
    cases.push(['truncated', good.slice(0, good.length - 4), /header announces/])
    const badIndex = good.slice()
    view(badIndex).setUint32(badIndex.length - 4, 9, true)
    cases.push(['key index', badIndex, /names key 9 of 3/])
    const tooMany = good.slice()
    view(tooMany).setUint32(4, METRIC_COLUMNS_MAX_POINTS + 1, true)
    cases.push(['too many', tooMany, /at most 100000 points/])
    const notKeys = encodeMetricColumns({ ...columns(1), keys: ['x'] })
    notKeys.set(new TextEncoder().encode('{"x"}'), 12)
    cases.push(['keys', notKeys, /JSON array/])
    for (const [name, bytes, message] of cases) {
      const err = errorOf(() => decodeMetricColumns(buffer(bytes))) as [string, string]
      expect(err, name).toBeDefined()
      expect(['MALFORMED_REQUEST', 'INVALID_PARAMETER_VALUE'], name).toContain(err[0])
      expect(err[1], name).toMatch(message)
    }
  })

  it('refuses fractional steps and negative or fractional timestamps', () => {
    const step = columns(2)
    step.steps[1] = 1.5
    expect(errorOf(() => decodeMetricColumns(buffer(encodeMetricColumns(step))))).toEqual(['INVALID_PARAMETER_VALUE', 'Metric step must be an integer, got 1.5 (point 1)'])
    const ts = columns(2)
    ts.timestamps[0] = -1
    expect((errorOf(() => decodeMetricColumns(buffer(encodeMetricColumns(ts)))) as string[])[1]).toMatch(/non-negative integer, got -1/)
  })
})
