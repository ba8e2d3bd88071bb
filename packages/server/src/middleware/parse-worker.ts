import { Worker } from 'node:worker_threads'

/**
 * A worker thread that parses large JSON log-batch bodies off the event loop. Reading float64s out
 * of JSON text is the largest per-point cost of ingest (~0.9 ms of a 1,000-metric body, ~20% of the
 * request); here it runs on the other core, and the metrics come back as typed-array columns
 * (transferred, not copied), so the serving thread only rebuilds small objects.
 *
 * The program is plain CommonJS run with `eval` (no build step under tsx or node). Metrics in the
 * usual shape become columns; any other body comes back whole (structured clone) and takes the
 * normal validation path, so error messages stay the route's own.
 */
const PROGRAM = `
const { parentPort } = require('node:worker_threads')
const SPECIAL = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity }
function columns(list) {
  if (!Array.isArray(list)) return undefined
  const n = list.length
  const keys = [], index = new Map()
  const keyIndex = new Uint32Array(n), values = new Float64Array(n), steps = new Float64Array(n), timestamps = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    const m = list[i]
    if (typeof m !== 'object' || m === null) return undefined
    const key = m.key
    if (typeof key !== 'string' || key === '') return undefined
    if (m.model_id !== undefined && m.model_id !== null && m.model_id !== '') return undefined
    let value = m.value
    if (typeof value !== 'number') {
      value = typeof value === 'string' ? SPECIAL[value] : undefined
      if (value === undefined) return undefined
    }
    const step = m.step ?? 0
    if (!Number.isSafeInteger(m.timestamp) || !Number.isSafeInteger(step)) return undefined
    let k = index.get(key)
    if (k === undefined) { k = keys.length; keys.push(key); index.set(key, k) }
    keyIndex[i] = k; values[i] = value; steps[i] = step; timestamps[i] = m.timestamp
  }
  return { keys, keyIndex, values, steps, timestamps }
}
const decoder = new TextDecoder()
parentPort.on('message', ({ id, bytes }) => {
  let body
  try {
    body = JSON.parse(decoder.decode(bytes))
    if (typeof body === 'string') body = JSON.parse(body)
  } catch {
    return parentPort.postMessage({ id, error: 'malformed' })
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return parentPort.postMessage({ id, error: 'not-object' })
  const cols = body.metrics === undefined ? undefined : columns(body.metrics)
  if (!cols) return parentPort.postMessage({ id, body })
  body.metrics = undefined
  parentPort.postMessage({ id, body, cols }, [cols.keyIndex.buffer, cols.values.buffer, cols.steps.buffer, cols.timestamps.buffer])
})
`

export interface MetricColumnsOut {
  keys: string[]
  keyIndex: Uint32Array
  values: Float64Array
  steps: Float64Array
  timestamps: Float64Array
}

export type ParseResult =
  | { error: 'malformed' | 'not-object' }
  | { body: Record<string, unknown>; cols?: MetricColumnsOut }

interface Pending {
  resolve: (r: ParseResult) => void
  reject: (e: Error) => void
}

/** One parse worker per process, started on first use; a crashed worker is replaced. */
export class ParseWorker {
  private worker: Worker | undefined
  private readonly pending = new Map<number, Pending>()
  private nextId = 0

  parse(bytes: Uint8Array): Promise<ParseResult> {
    const worker = this.start()
    const id = this.nextId++
    return new Promise<ParseResult>((resolve, reject) => {
      this.pending.set(id, { resolve, reject })
      worker.postMessage({ id, bytes }, [bytes.buffer as ArrayBuffer])
      if (this.pending.size === 1) worker.ref()
    })
  }

  async close(): Promise<void> {
    const w = this.worker
    this.worker = undefined
    if (w) await w.terminate()
  }

  private start(): Worker {
    if (this.worker) return this.worker
    const worker = new Worker(PROGRAM, { eval: true })
    worker.unref()
    worker.on('message', (msg: ParseResult & { id: number }) => {
      const p = this.pending.get(msg.id)
      this.pending.delete(msg.id)
      // Idle, the worker must not keep the process alive.
      if (this.pending.size === 0) worker.unref()
      p?.resolve(msg)
    })
    const fail = (e: Error) => {
      if (this.worker === worker) this.worker = undefined
      for (const p of this.pending.values()) p.reject(e)
      this.pending.clear()
    }
    worker.on('error', fail)
    worker.on('exit', (code) => fail(new Error(`parse worker exited with code ${code}`)))
    this.worker = worker
    return worker
  }
}

/** The process's parse worker. */
export const parseWorker = new ParseWorker()
