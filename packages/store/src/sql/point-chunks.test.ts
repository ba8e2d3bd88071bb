import { expect, it } from 'vitest'
import { allocPoints, comparePoints, decodeChunk, encodeChunk, firstByTime, mergePoints, sortByTime, stepRange, type Points } from './point-chunks.ts'

const points = (rows: number[][]): Points => {
  const p = allocPoints(rows.length)
  rows.forEach(([s, t, v], i) => {
    p.step[i] = s as number
    p.timestamp[i] = t as number
    p.value[i] = v as number
  })
  return p
}
const rows = (p: Points) => Array.from({ length: p.length }, (_, i) => [p.step[i], p.timestamp[i], p.value[i]])

it('round-trips a chunk exactly, NaN and infinities included, from any byte alignment', () => {
  const p = points([[-3, 1, Number.NaN], [0, 2, Infinity], [0, 2, -Infinity], [7, 9e15, 0.1 + 0.2], [2 ** 52, 3, -0]])
  const bytes = encodeChunk(p)
  expect(bytes.byteLength).toBe(5 * 24)
  for (let shift = 0; shift < 8; shift++) {
    const holder = Buffer.alloc(bytes.byteLength + shift)
    bytes.copy(holder, shift)
    const back = decodeChunk(holder.subarray(shift))
    expect(rows(back)).toEqual(rows(p))
    expect(Object.is(back.value[4], -0)).toBe(true)
  }
  expect(rows(decodeChunk(encodeChunk(p, 1, 3)))).toEqual(rows(p).slice(1, 3))
})

it('orders points by step, timestamp, then value with NaN taken as 0 and after a real 0', () => {
  expect(comparePoints(1, 5, 9, 2, 0, 0)).toBeLessThan(0)
  expect(comparePoints(1, 5, 9, 1, 6, 0)).toBeLessThan(0)
  expect(comparePoints(1, 5, -1, 1, 5, Number.NaN)).toBeLessThan(0)
  expect(comparePoints(1, 5, Number.NaN, 1, 5, 0.5)).toBeLessThan(0)
  expect(comparePoints(1, 5, 0, 1, 5, Number.NaN)).toBeLessThan(0)
  expect(comparePoints(1, 5, Number.NaN, 1, 5, Number.NaN)).toBe(0)
})

it('merges overlapping chunks into one sorted list and cuts step ranges', () => {
  const a = points([[0, 1, 1], [4, 1, 1], [9, 1, 1]])
  const b = points([[2, 1, 1], [4, 0, 5], [4, 1, Number.NaN]])
  const merged = mergePoints([a, b])
  expect(rows(merged)).toEqual([[0, 1, 1], [2, 1, 1], [4, 0, 5], [4, 1, Number.NaN], [4, 1, 1], [9, 1, 1]])
  // Already in order: the lists are joined as they are.
  expect(rows(mergePoints([points([[0, 0, 0]]), points([[1, 0, 0]])]))).toEqual([[0, 0, 0], [1, 0, 0]])
  expect(rows(stepRange(merged, 2, 4))).toEqual([[2, 1, 1], [4, 0, 5], [4, 1, Number.NaN], [4, 1, 1]])
  expect(rows(stepRange(merged, 5, undefined))).toEqual([[9, 1, 1]])
  expect(stepRange(merged, 10, 20).length).toBe(0)
})

it('re-sorts points by time, keeping step and value order among equal timestamps', () => {
  const p = points([[0, 5, 1], [1, 3, Number.NaN], [1, 3, 2], [2, 5, 0], [3, 1, 7]])
  expect(rows(sortByTime(p))).toEqual([[3, 1, 7], [1, 3, Number.NaN], [1, 3, 2], [0, 5, 1], [2, 5, 0]])
  const inOrder = points([[0, 1, 1], [1, 1, 1], [2, 2, 1]])
  expect(sortByTime(inOrder)).toBe(inOrder)
})

it('takes the first k points by time as a full sort would, ties on timestamps included', () => {
  let seed = 7
  const rand = (n: number) => (seed = (seed * 16807) % 2147483647) % n
  for (let round = 0; round < 200; round++) {
    const n = 1 + rand(300)
    // Few distinct timestamps, so ties straddle the k-th one; point order is (step, timestamp, value).
    const list = Array.from({ length: n }, () => [rand(50), rand(8), rand(3) === 0 ? Number.NaN : rand(4)])
    list.sort((a, b) => comparePoints(a[0] as number, a[1] as number, a[2] as number, b[0] as number, b[1] as number, b[2] as number))
    const p = points(list)
    const k = 1 + rand(n + 5)
    expect(rows(firstByTime(p, k))).toEqual(rows(sortByTime(p)).slice(0, k))
  }
})
