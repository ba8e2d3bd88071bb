import { describe, expect, it } from 'vitest'
import { inOrder } from './sampled-block-buckets.ts'

describe('inOrder', () => {
  it('sorts bucket columns by x together, and leaves sorted ones as they are', () => {
    const shuffled = { x: [512, 0, 256], n: [3, 1, 2], mn: [Number.NaN, 0.5, 1], mx: [9, 0.5, 2], last: [7, Number.NaN, 1.5] }
    expect(inOrder(shuffled)).toEqual({ x: [0, 256, 512], n: [1, 2, 3], mn: [0.5, 1, Number.NaN], mx: [0.5, 2, 9], last: [Number.NaN, 1.5, 7] })
    const sorted = { x: [0, 1], n: [1, 1], mn: [1, 2], mx: [1, 2], last: [1, 2] }
    expect(inOrder(sorted)).toBe(sorted)
  })
})
