import { describe, expect, it } from 'vitest'
import { encodePage, type CoarseEntry } from '../migrations/0008-metric-block-pages.ts'
import { bucketEntries, decodePage, foldDelta, pageOf, type BlockDelta } from './block-pages.ts'

const entry = (
  block: number,
  min: number | null,
  max: number | null,
  last: number,
): CoarseEntry => ({
  block,
  first: block * 1024 + 3,
  count: 10,
  min,
  max,
  last,
  lastStep: block * 1024 + 900,
  lastTimestamp: 1_700_000_000_000 + block,
  firstTimestamp: block === 0 ? Number.NaN : 1_600_000_000_000 + block,
})

describe('metric_block_pages', () => {
  it('stores entries exactly, with null min/max, NaN and infinite values, at any byte offset', () => {
    const entries = [
      entry(-3, -1.5, 2.25, Number.NaN),
      entry(-2, null, null, Number.NaN),
      entry(-1, -Infinity, Infinity, Infinity),
      entry(0, 0.1, 0.30000000000000004, -0),
    ]
    const bytes = encodePage(entries)
    expect(bytes.byteLength).toBe(4 * 9 * 8)
    expect(decodePage(bytes)).toEqual(entries)
    // A blob inside a larger buffer, not 8-byte aligned (what drivers may hand back).
    const shifted = Buffer.alloc(bytes.byteLength + 3)
    bytes.copy(shifted, 3)
    expect(decodePage(shifted.subarray(3))).toEqual(entries)
    expect(decodePage(Buffer.alloc(0))).toEqual([])
  })

  it('pages floor negative blocks', () => {
    expect([pageOf(-17), pageOf(-16), pageOf(-1), pageOf(0), pageOf(15), pageOf(16)]).toEqual([
      -2, -1, -1, 0, 0, 1,
    ])
  })

  it('buckets blocks as the SQL over metric_blocks does: aligned to k, min/max skip all-NaN blocks, last of the greatest block', () => {
    const entries = [
      entry(3, 5, 6, 5.5),
      entry(4, null, null, Number.NaN),
      entry(5, 1, 9, 2),
      entry(8, 4, 4, 4),
      entry(11, null, null, Number.NaN),
      entry(12, 7, 8, 7),
    ]
    // k = 4 over [4, 12): buckets 4-7 and 8-11; blocks 3 and 12 are outside the range.
    const got = bucketEntries(entries, 4, 12, 4)
    expect(got).toEqual({
      x: [4 * 1024 + 3, 8 * 1024 + 3],
      n: [20, 20],
      mn: [1, 4],
      mx: [9, 4],
      last: [2, Number.NaN],
    })
    // One block a bucket: the blocks themselves; an all-NaN block has NaN min and max.
    expect(bucketEntries(entries, 0, 100, 1)).toEqual({
      x: entries.map((e) => e.first),
      n: entries.map(() => 10),
      mn: [5, Number.NaN, 1, 4, Number.NaN, 7],
      mx: [6, Number.NaN, 9, 4, Number.NaN, 8],
      last: [5.5, Number.NaN, 2, 4, Number.NaN, 7],
    })
    expect(bucketEntries([entry(4, null, null, 1)], 4, 8, 4)).toEqual({
      x: [4 * 1024 + 3],
      n: [10],
      mn: [Number.NaN],
      mx: [Number.NaN],
      last: [1],
    })
  })

  it('folds fine-block deltas into a coarse entry: min/max skip all-NaN deltas, counts add, the latest point wins by (step, timestamp, value, NaN flag)', () => {
    const delta = (block: number, d: Partial<BlockDelta>): BlockDelta => ({
      keyId: 1,
      block,
      first: block * 256,
      min: 1,
      max: 2,
      count: 3,
      step: block * 256 + 9,
      timestamp: 100,
      value: 1.5,
      isNan: 0,
      firstTimestamp: 50,
      ...d,
    })
    const a = foldDelta(undefined, delta(5, {}))
    expect(a).toEqual({
      block: 1,
      first: 1280,
      count: 3,
      min: 1,
      max: 2,
      last: 1.5,
      lastStep: 1289,
      lastTimestamp: 100,
      firstTimestamp: 50,
    })
    // An all-NaN block earlier in the coarse block: min/max/last stay, first moves back (with its timestamp).
    const b = foldDelta(a, delta(4, { min: null, max: null, value: 0, isNan: 1, firstTimestamp: 70 }))
    expect(b).toEqual({ ...a, first: 1024, count: 6, firstTimestamp: 70 })
    // Another point at the first step: the smaller timestamp; after the first step: no change; unknown stays unknown.
    expect(foldDelta(b, delta(4, { firstTimestamp: 60 })).firstTimestamp).toBe(60)
    expect(foldDelta(b, delta(4, { firstTimestamp: 80 })).firstTimestamp).toBe(70)
    expect(foldDelta(b, delta(4, { first: 1030, firstTimestamp: 1 })).firstTimestamp).toBe(70)
    expect(foldDelta({ ...b, firstTimestamp: Number.NaN }, delta(4, { firstTimestamp: 1 })).firstTimestamp).toBeNaN()
    // The same step and timestamp, a NaN point (stored as 0 with the flag): greater than 0, less than 1.5.
    expect(
      foldDelta(b, delta(5, { first: 1289, min: null, max: null, value: 0, isNan: 1, count: 1 }))
        .last,
    ).toBe(1.5)
    const c = foldDelta(
      foldDelta(undefined, delta(5, { value: 0, min: 0, max: 0 })),
      delta(5, { first: 1289, min: null, max: null, value: 0, isNan: 1, count: 1 }),
    )
    expect(c.last).toBeNaN()
    // A later point at a greater step, with -Infinity: the new min and the new last.
    const d = foldDelta(
      b,
      delta(7, { min: -Infinity, max: 0, value: -Infinity, step: 2000, timestamp: 1 }),
    )
    expect(d).toEqual({
      block: 1,
      first: 1024,
      count: 9,
      min: -Infinity,
      max: 2,
      last: -Infinity,
      lastStep: 2000,
      lastTimestamp: 1,
      firstTimestamp: 70,
    })
  })
})
