import { encodeDouble, encodeMetricColumns, indexKeys } from '@logbook/core'
import type { Metric } from '@logbook/core'

/**
 * Up to `capacity` metric points stored column-wise. The fluent API queues a million points in a
 * few hundred milliseconds because a point costs three typed-array writes instead of an object
 * (objects made the garbage collector the SDK's largest cost in bench/sdk-million.ts).
 */
export class MetricBatch {
  length = 0
  private readonly keys: string[]
  private readonly values: Float64Array
  private readonly steps: Float64Array
  private readonly timestamps: Float64Array

  constructor(readonly capacity: number) {
    this.keys = new Array<string>(capacity)
    this.values = new Float64Array(capacity)
    this.steps = new Float64Array(capacity)
    this.timestamps = new Float64Array(capacity)
  }

  /** A batch holding `metrics` (at most `capacity` of them). */
  static from(metrics: readonly Metric[]): MetricBatch {
    const batch = new MetricBatch(metrics.length)
    for (const m of metrics) batch.push(m.key, m.value, m.step, m.timestamp)
    return batch
  }

  /** True when no more points fit. */
  get full(): boolean {
    return this.length >= this.capacity
  }

  /** Append one point; the caller checks `full` first. */
  push(key: string, value: number, step: number, timestamp: number): void {
    const i = this.length++
    this.keys[i] = key
    this.values[i] = value
    this.steps[i] = step
    this.timestamps[i] = timestamp
  }

  /** Points `start` to `end` (exclusive) as a new batch. */
  slice(start: number, end: number): MetricBatch {
    const to = Math.min(end, this.length)
    const out = new MetricBatch(Math.max(0, to - start))
    for (let i = start; i < to; i++) {
      out.push(this.keys[i] as string, this.values[i] as number, this.steps[i] as number, this.timestamps[i] as number)
    }
    return out
  }

  /** The points as Logbook's binary metric batch (core/metric-columns.ts). */
  toBinary(): Uint8Array {
    const { keys, keyIndex } = indexKeys(this.length, (i) => this.keys[i] as string)
    const { values, steps, timestamps } = this
    return encodeMetricColumns({ keys, keyIndex, values, steps, timestamps }, this.length)
  }

  /** The points as plain objects. */
  toMetrics(): Metric[] {
    const out: Metric[] = new Array<Metric>(this.length)
    for (let i = 0; i < this.length; i++) {
      out[i] = {
        key: this.keys[i] as string,
        value: this.values[i] as number,
        step: this.steps[i] as number,
        timestamp: this.timestamps[i] as number,
      }
    }
    return out
  }

  /** The points as a JSON array in MLflow's encoding (non-finite values as strings). */
  toJson(): string {
    let out = '['
    const keyJson = new Map<string, string>()
    for (let i = 0; i < this.length; i++) {
      const key = this.keys[i] as string
      let k = keyJson.get(key)
      if (k === undefined) keyJson.set(key, (k = JSON.stringify(key)))
      const v = this.values[i] as number
      const value = v - v === 0 ? String(v) : encodeDouble(v)
      out += `${i === 0 ? '' : ','}{"key":${k},"value":${value},"timestamp":${this.timestamps[i]},"step":${this.steps[i]}}`
    }
    return `${out}]`
  }
}
