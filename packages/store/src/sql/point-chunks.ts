/**
 * The stored format of metric points (migration 0009, `metric_chunks`): the points of one series
 * that fall in one block (METRIC_BLOCK steps) and arrived in one write, as one BLOB/bytea of
 * little-endian doubles: n steps, then n timestamps, then n values (NaN and infinities as
 * themselves). A chunk's points are distinct and sorted in the store's point order below. This is
 * the stored format: changing it needs a new migration.
 */
import { endianness } from 'node:os'

/** Points column-wise, sorted in point order; `value` holds NaN for a NaN point. */
export interface Points {
  step: Float64Array
  timestamp: Float64Array
  value: Float64Array
  length: number
}

const LITTLE = endianness() === 'LE'

export const emptyPoints = (): Points => ({ step: new Float64Array(0), timestamp: new Float64Array(0), value: new Float64Array(0), length: 0 })

export function allocPoints(n: number): Points {
  return { step: new Float64Array(n), timestamp: new Float64Array(n), value: new Float64Array(n), length: n }
}

/**
 * The store's point order, and MLflow's latest rule: step, timestamp, then value with a NaN point
 * taken as the value 0 (as MLflow stores it) and ordered after a real 0. Negative when a < b.
 */
export function comparePoints(as: number, at: number, av: number, bs: number, bt: number, bv: number): number {
  if (as !== bs) return as < bs ? -1 : 1
  if (at !== bt) return at < bt ? -1 : 1
  const an = av !== av
  const bn = bv !== bv
  const a0 = an ? 0 : av
  const b0 = bn ? 0 : bv
  if (a0 !== b0) return a0 < b0 ? -1 : 1
  return an === bn ? 0 : an ? 1 : -1
}

/** Compare point i of a with point j of b. */
export const comparePointAt = (a: Points, i: number, b: Points, j: number): number =>
  comparePoints(a.step[i] as number, a.timestamp[i] as number, a.value[i] as number, b.step[j] as number, b.timestamp[j] as number, b.value[j] as number)

/** The bytes of points [from, to). */
export function encodeChunk(p: Points, from = 0, to = p.length): Buffer {
  const n = to - from
  const out = Buffer.allocUnsafe(n * 24)
  if (LITTLE) {
    const view = new Float64Array(out.buffer, out.byteOffset, n * 3)
    // Buffer.allocUnsafe may hand out a pool slice that is not 8-byte aligned.
    if (out.byteOffset % 8 === 0) {
      view.set(p.step.subarray(from, to), 0)
      view.set(p.timestamp.subarray(from, to), n)
      view.set(p.value.subarray(from, to), 2 * n)
      return out
    }
  }
  for (let i = 0; i < n; i++) {
    out.writeDoubleLE(p.step[from + i] as number, i * 8)
    out.writeDoubleLE(p.timestamp[from + i] as number, (n + i) * 8)
    out.writeDoubleLE(p.value[from + i] as number, (2 * n + i) * 8)
  }
  return out
}

/** A chunk's points (copied: the database's buffer may be unaligned or reused). */
export function decodeChunk(data: Uint8Array): Points {
  const n = Math.floor(data.byteLength / 24)
  const all = new Float64Array(n * 3)
  if (LITTLE) new Uint8Array(all.buffer).set(data.subarray(0, n * 24))
  else {
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength)
    for (let i = 0; i < n * 3; i++) all[i] = view.getFloat64(i * 8, true)
  }
  return { step: all.subarray(0, n), timestamp: all.subarray(n, 2 * n), value: all.subarray(2 * n), length: n }
}

/** Points of several lists in one list, sorted (each list sorted; lists may overlap). */
export function mergePoints(lists: Points[]): Points {
  const parts = lists.filter((p) => p.length > 0)
  if (parts.length === 0) return emptyPoints()
  if (parts.length === 1) return parts[0] as Points
  let total = 0
  for (const p of parts) total += p.length
  const out = allocPoints(total)
  let at = 0
  let sorted = true
  for (const p of parts) {
    if (at > 0 && sorted && comparePointAt(out, at - 1, p, 0) > 0) sorted = false
    out.step.set(p.step.subarray(0, p.length), at)
    out.timestamp.set(p.timestamp.subarray(0, p.length), at)
    out.value.set(p.value.subarray(0, p.length), at)
    at += p.length
  }
  return sorted ? out : sortPoints(out, (a, i, b, j) => comparePointAt(a, i, b, j))
}

/** A new list of the points sorted by `cmp` (the input is left as it is). */
export function sortPoints(p: Points, cmp: (a: Points, i: number, b: Points, j: number) => number): Points {
  const order = Array.from({ length: p.length }, (_, i) => i)
  order.sort((i, j) => cmp(p, i, p, j))
  return pick(p, order)
}

/**
 * Points in point order re-sorted by timestamp, then step, then value (MLflow's history order): a
 * stable sort on the timestamp alone keeps the (step, value) order of equal timestamps. About twice
 * as fast as a comparator over all three keys; near-linear when timestamps are mostly in order.
 */
export function sortByTime(p: Points): Points {
  const ts = p.timestamp
  let ordered = true
  for (let i = 1; i < p.length && ordered; i++) ordered = (ts[i - 1] as number) <= (ts[i] as number)
  if (ordered) return p
  const order = Array.from({ length: p.length }, (_, i) => i)
  order.sort((i, j) => (ts[i] as number) - (ts[j] as number))
  return pick(p, order)
}

/** The k-th smallest value (0-based) of `a`, which is reordered (quickselect, median of three). */
function kthSmallest(a: Float64Array, k: number): number {
  let lo = 0
  let hi = a.length - 1
  while (hi > lo) {
    const mid = (lo + hi) >>> 1
    const x = a[lo] as number
    const y = a[mid] as number
    const z = a[hi] as number
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y
    let i = lo
    let j = hi
    while (i <= j) {
      while ((a[i] as number) < pivot) i++
      while ((a[j] as number) > pivot) j--
      if (i <= j) {
        const t = a[i] as number
        a[i++] = a[j] as number
        a[j--] = t
      }
    }
    if (k <= j) hi = j
    else if (k >= i) lo = i
    else return pivot
  }
  return a[k] as number
}

/**
 * The first k points of `p` (in point order) by time, that is sortByTime(p) cut to k, without
 * sorting all of p: the k-th smallest timestamp is found by selection, and only the points before
 * it (plus, among the points at it, the first ones in point order) are sorted.
 */
export function firstByTime(p: Points, k: number): Points {
  if (p.length <= k) return sortByTime(p)
  const at = kthSmallest(p.timestamp.slice(0, p.length), k - 1)
  let below = 0
  for (let i = 0; i < p.length; i++) if ((p.timestamp[i] as number) < at) below++
  let equal = k - below
  const keep: number[] = []
  for (let i = 0; i < p.length; i++) {
    const t = p.timestamp[i] as number
    if (t < at || (t === at && equal-- > 0)) keep.push(i)
  }
  return sortByTime(pick(p, keep))
}

/** The points at the given indices, in that order. */
export function pick(p: Points, order: ArrayLike<number>): Points {
  const out = allocPoints(order.length)
  for (let k = 0; k < order.length; k++) {
    const i = order[k] as number
    out.step[k] = p.step[i] as number
    out.timestamp[k] = p.timestamp[i] as number
    out.value[k] = p.value[i] as number
  }
  return out
}

/** Points [from, to) as a view (no copy). */
export function slicePoints(p: Points, from: number, to: number): Points {
  return { step: p.step.subarray(from, to), timestamp: p.timestamp.subarray(from, to), value: p.value.subarray(from, to), length: Math.max(0, to - from) }
}

/** The first index whose step is >= step (points sorted by step). */
export function lowerStep(p: Points, step: number): number {
  let lo = 0
  let hi = p.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if ((p.step[mid] as number) < step) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** The points whose step is in [first, last]. */
export function stepRange(p: Points, first: number | undefined, last: number | undefined): Points {
  const from = first === undefined ? 0 : lowerStep(p, first)
  const to = last === undefined ? p.length : lowerStep(p, last + 1)
  return from === 0 && to === p.length ? p : slicePoints(p, from, to)
}
