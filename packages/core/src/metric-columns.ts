import { MlflowError, invalidParam } from './errors.ts'
import type { Metric } from './entities.ts'

/**
 * Logbook's binary metric batch (`POST /api/2.0/logbook/runs/log-metrics`, content type
 * `application/x-logbook-metrics`), sent by the TypeScript SDK instead of MLflow's JSON log-batch.
 * Decoding a float64 from JSON text is the largest per-point cost of a JSON batch (JSON.parse of a
 * 1,000-point log-batch takes ~0.9 ms); here the values arrive as the float64s they are, NaN and
 * infinities included. Little-endian layout:
 *
 *   0   "LBM1"
 *   4   u32 n: points
 *   8   u32 k: bytes of the keys, a UTF-8 JSON array of strings
 *   12  the keys, then zero bytes up to a multiple of 8
 *   ... f64[n] values, f64[n] steps, f64[n] timestamps, u32[n] index of each point's key
 */
export const METRIC_COLUMNS_TYPE = 'application/x-logbook-metrics'
/** Points one binary batch may carry (MLflow's JSON log-batch allows 1,000). */
export const METRIC_COLUMNS_MAX_POINTS = 100_000
const MAGIC = 0x314d424c // "LBM1" read as a little-endian u32
const HEADER = 12

export interface MetricColumns {
  keys: string[]
  keyIndex: Uint32Array
  values: Float64Array
  steps: Float64Array
  timestamps: Float64Array
}

const align8 = (n: number): number => (n + 7) & ~7

/** The distinct keys of `n` points in first-seen order, and each point's index into them. */
export function indexKeys(n: number, keyAt: (i: number) => string): { keys: string[]; keyIndex: Uint32Array } {
  const keys: string[] = []
  const seen = new Map<string, number>()
  const keyIndex = new Uint32Array(n)
  for (let i = 0; i < n; i++) {
    const key = keyAt(i)
    let k = seen.get(key)
    if (k === undefined) {
      k = keys.length
      keys.push(key)
      seen.set(key, k)
    }
    keyIndex[i] = k
  }
  return { keys, keyIndex }
}

/** Encode points given column-wise; `keyIndex[i]` picks point i's key from `keys`. */
export function encodeMetricColumns(cols: MetricColumns, n = cols.values.length): Uint8Array {
  const keyBytes = new TextEncoder().encode(JSON.stringify(cols.keys))
  const data = align8(HEADER + keyBytes.length)
  const out = new Uint8Array(data + n * 28)
  const view = new DataView(out.buffer)
  view.setUint32(0, MAGIC, true)
  view.setUint32(4, n, true)
  view.setUint32(8, keyBytes.length, true)
  out.set(keyBytes, HEADER)
  // Typed arrays use the platform's byte order; every engine Logbook runs on is little-endian.
  new Float64Array(out.buffer, data, n).set(cols.values.subarray(0, n))
  new Float64Array(out.buffer, data + 8 * n, n).set(cols.steps.subarray(0, n))
  new Float64Array(out.buffer, data + 16 * n, n).set(cols.timestamps.subarray(0, n))
  new Uint32Array(out.buffer, data + 24 * n, n).set(cols.keyIndex.subarray(0, n))
  return out
}

const malformed = (why: string) => new MlflowError('MALFORMED_REQUEST', `Malformed metric batch: ${why}.`)

function decodeKeys(bytes: Uint8Array): string[] {
  let keys: unknown
  try {
    keys = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes))
  } catch {
    throw malformed('the keys are not a UTF-8 JSON array')
  }
  if (!Array.isArray(keys) || !keys.every((k) => typeof k === 'string')) throw malformed('the keys must be a JSON array of strings')
  return keys as string[]
}

/**
 * Decode and check a binary batch into metrics: every length must agree with the header, every
 * key index must name a key, steps and timestamps must be safe integers (timestamps >= 0).
 * Keys themselves are validated by the store, as for log-batch.
 */
export function decodeMetricColumns(body: ArrayBuffer): Metric[] {
  if (body.byteLength < HEADER) throw malformed('shorter than its 12-byte header')
  const view = new DataView(body)
  if (view.getUint32(0, true) !== MAGIC) throw malformed('it does not start with "LBM1"')
  const n = view.getUint32(4, true)
  const k = view.getUint32(8, true)
  if (n > METRIC_COLUMNS_MAX_POINTS) {
    throw invalidParam(`A metric batch can contain at most ${METRIC_COLUMNS_MAX_POINTS} points. Got ${n} points.`)
  }
  const data = align8(HEADER + k)
  if (body.byteLength !== data + n * 28) throw malformed(`${body.byteLength} bytes where its header announces ${data + n * 28}`)
  const keys = decodeKeys(new Uint8Array(body, HEADER, k))
  const values = new Float64Array(body, data, n)
  const steps = new Float64Array(body, data + 8 * n, n)
  const timestamps = new Float64Array(body, data + 16 * n, n)
  const keyIndex = new Uint32Array(body, data + 24 * n, n)
  const out = new Array<Metric>(n)
  for (let i = 0; i < n; i++) {
    const key = keys[keyIndex[i] as number]
    if (key === undefined) throw malformed(`point ${i} names key ${keyIndex[i]} of ${keys.length}`)
    const step = steps[i] as number
    const timestamp = timestamps[i] as number
    if (!Number.isSafeInteger(step)) throw invalidParam(`Metric step must be an integer, got ${step} (point ${i})`)
    if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
      throw invalidParam(`Metric timestamp must be a non-negative integer, got ${timestamp} (point ${i})`)
    }
    out[i] = { key, value: values[i] as number, step, timestamp }
  }
  return out
}
