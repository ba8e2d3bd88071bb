import { describe, expect, it } from 'vitest'
import { bandExtent, type Band } from './bands.ts'

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
