import { describe, expect, it } from 'vitest'
import { bandExtent, pixelMap, type Band } from './bands.ts'

const band = (min: number[], max: number[]): Band => ({ x: min.map((_, i) => i), min, max, fill: 'red' })

describe('bandExtent', () => {
  it('spans the drawable edges only: finite on both sides, positive on a log scale', () => {
    const bands = [
      band([-2, Number.NaN, 0.5], [1, 9, Number.POSITIVE_INFINITY]),
      band([Number.NEGATIVE_INFINITY, 0.25], [3, 4]),
    ]
    expect(bandExtent(bands, false)).toEqual([-2, 4])
    expect(bandExtent(bands, true)).toEqual([0.25, 4])
    expect(bandExtent([band([Number.NaN], [1])], false)).toBeUndefined()
    expect(bandExtent([], false)).toBeUndefined()
  })
})

describe('pixelMap', () => {
  it('maps as uPlot does: linear left to right, y downwards, log10 on a log scale', () => {
    const x = pixelMap(0, 1000, false, 50, 1000, false)
    expect([x(0), x(250), x(1000)]).toEqual([50, 300, 1050])
    const y = pixelMap(-1, 1, false, 10, 200, true)
    expect([y(1), y(0), y(-1)]).toEqual([10, 110, 210])
    const log = pixelMap(1, 1000, true, 0, 300, true)
    expect([log(1000), log(10), log(1)].map((v) => Math.round(v * 1e9) / 1e9)).toEqual([0, 200, 300])
  })
})
