/**
 * The binary form of a metrics/sampled answer, asked for with `Accept: application/vnd.logbook.sampled`
 * (docs/architecture.md, "UI support routes"). The JSON form spends most of its time turning doubles
 * into text and back: 50 series x 1,000 buckets x 4 lists is 200,000 numbers, ~60 ms to write on the
 * server and ~30 ms to read in the browser, and 3.6 MB instead of 2 MB.
 *
 * Layout: the 4 bytes "LBS1"; a u32 (little-endian) byte length of a UTF-8 JSON header
 * `{"series":[{run_id, metric_key, total_points, sampled, n}]}`; zero bytes up to a multiple of 8;
 * then per series, in header order, n float64 values (little-endian) of each of x, min, max, last
 * and count. NaN and infinities are themselves (no "NaN" strings).
 */

export const SAMPLED_BINARY_TYPE = 'application/vnd.logbook.sampled'

/** One series as the route answers it (the store's SampledSeries). */
export interface SampledColumns {
  run_id: string
  metric_key: string
  total_points: number
  sampled: boolean
  x: ArrayLike<number>
  min: ArrayLike<number>
  max: ArrayLike<number>
  last: ArrayLike<number>
  count: ArrayLike<number>
}

/** A decoded series: its lists are views into the decoded buffer. */
export interface DecodedSampled extends SampledColumns {
  x: Float64Array
  min: Float64Array
  max: Float64Array
  last: Float64Array
  count: Float64Array
}

const MAGIC = [0x4c, 0x42, 0x53, 0x31] // "LBS1"
const LISTS = ['x', 'min', 'max', 'last', 'count'] as const
const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1

const align8 = (n: number): number => Math.ceil(n / 8) * 8

/** Copy `list` into `out` at `index` (float64 slots), little-endian. */
function put(out: ArrayBuffer, fast: Float64Array | undefined, index: number, list: ArrayLike<number>): void {
  if (fast) {
    for (let i = 0; i < list.length; i++) fast[index + i] = list[i] as number
    return
  }
  const view = new DataView(out)
  for (let i = 0; i < list.length; i++) view.setFloat64((index + i) * 8, list[i] as number, true)
}

export function encodeSampledBinary(series: readonly SampledColumns[]): Uint8Array<ArrayBuffer> {
  const meta = series.map((s) => ({ run_id: s.run_id, metric_key: s.metric_key, total_points: s.total_points, sampled: s.sampled, n: s.x.length }))
  const header = new TextEncoder().encode(JSON.stringify({ series: meta }))
  const dataStart = align8(8 + header.length)
  const values = meta.reduce((sum, m) => sum + m.n * LISTS.length, 0)
  const out = new ArrayBuffer(dataStart + values * 8)
  const bytes = new Uint8Array(out)
  bytes.set(MAGIC, 0)
  new DataView(out).setUint32(4, header.length, true)
  bytes.set(header, 8)
  const fast = littleEndian ? new Float64Array(out) : undefined
  let index = dataStart / 8
  for (const s of series) {
    for (const name of LISTS) {
      const list = s[name]
      if (list.length !== s.x.length) throw new Error(`sampled series ${s.run_id}: ${name} has ${list.length} values, x has ${s.x.length}`)
      put(out, fast, index, list)
      index += list.length
    }
  }
  return bytes
}

/** Read a binary answer; throws on a body that is not one (wrong magic, truncated). */
export function decodeSampledBinary(buffer: ArrayBuffer): DecodedSampled[] {
  const bytes = new Uint8Array(buffer)
  if (bytes.length < 8 || MAGIC.some((b, i) => bytes[i] !== b)) throw new Error('not a binary metrics/sampled answer')
  const headerLength = new DataView(buffer).getUint32(4, true)
  if (8 + headerLength > bytes.length) throw new Error('truncated metrics/sampled answer')
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength))) as {
    series: { run_id: string; metric_key: string; total_points: number; sampled: boolean; n: number }[]
  }
  let offset = align8(8 + headerLength)
  const view = new DataView(buffer)
  const list = (n: number): Float64Array => {
    if (offset + n * 8 > buffer.byteLength) throw new Error('truncated metrics/sampled answer')
    let out: Float64Array
    if (littleEndian) out = new Float64Array(buffer, offset, n)
    else {
      out = new Float64Array(n)
      for (let i = 0; i < n; i++) out[i] = view.getFloat64(offset + i * 8, true)
    }
    offset += n * 8
    return out
  }
  return header.series.map((m) => ({
    run_id: m.run_id,
    metric_key: m.metric_key,
    total_points: m.total_points,
    sampled: m.sampled,
    x: list(m.n),
    min: list(m.n),
    max: list(m.n),
    last: list(m.n),
    count: list(m.n),
  }))
}
