import { METRIC_COLUMNS_MAX_POINTS } from '@logbook/core'
import type { Metric } from '@logbook/core'
import { MetricBatch } from './metric-batch.ts'
import { backoffDelay, isRetryable } from './http.ts'
import type { RetryPolicy } from './http.ts'

/** Options of the background metric queue. */
export interface MetricQueueOptions {
  /** Sends one batch (at most `batchSize` points); must not retry by itself. */
  send: (batch: MetricBatch) => Promise<void>
  /** Called once per permanent failure, as soon as it happens. */
  onError?: (error: unknown) => void
  /** Seal and send the buffer this often (default 1000 ms). */
  flushIntervalMs?: number
  /** Points per request (default 10,000; at most 100,000, the binary batch's limit). */
  batchSize?: number
  /** Batches in flight at once (default 3; measured in bench/sdk-million.ts). */
  maxInFlight?: number
  /** Points held in memory before new ones are dropped and reported (default 1,000,000). */
  maxQueued?: number
  /** Backoff between retries of a batch; retries never stop while the failure is transient. */
  retry?: Partial<RetryPolicy>
}

/** Points per request: large enough that per-request costs vanish, small enough to retry cheaply. */
const DEFAULT_BATCH = 10_000

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Queues metric points and sends them in background log-batch requests so logging never waits on
 * the network. Transient failures (network, 429, 503) are retried until they succeed; permanent
 * ones go to `onError` and reject the next `flush()`.
 *
 * Memory policy: at most `maxQueued` points wait in memory. Beyond that, `push` still returns at
 * once but drops the point and counts it; the drop is reported like a permanent failure. Callers
 * that log faster than the server accepts should `await flush()` now and then (back-pressure).
 */
export class MetricQueue {
  private buffer: MetricBatch
  private readonly ready: MetricBatch[] = []
  private queued = 0
  private inFlight = 0
  private dropped = 0
  private readonly errors: unknown[] = []
  private idleWaiters: (() => void)[] = []
  private timer: ReturnType<typeof setInterval> | undefined
  private readonly batchSize: number
  private readonly maxInFlight: number
  private readonly maxQueued: number
  private readonly retry: RetryPolicy

  constructor(private readonly options: MetricQueueOptions) {
    this.batchSize = Math.min(options.batchSize ?? DEFAULT_BATCH, METRIC_COLUMNS_MAX_POINTS)
    this.maxInFlight = options.maxInFlight ?? 3
    this.maxQueued = options.maxQueued ?? 1_000_000
    this.buffer = new MetricBatch(this.batchSize)
    this.retry = { maxRetries: Infinity, baseDelayMs: 100, maxDelayMs: 2000, ...options.retry }
    this.timer = setInterval(() => this.seal(), options.flushIntervalMs ?? 1000)
    // Node: an idle timer must not keep the process alive (beforeExit then ends the run).
    ;(this.timer as { unref?: () => void }).unref?.()
  }

  /** Points accepted but not yet stored by the server. */
  get pending(): number {
    return this.queued
  }

  /** Queue one point; never blocks and never throws. */
  push(metric: Metric): void {
    this.add(metric.key, metric.value, metric.step, metric.timestamp)
  }

  /** Queue one point given by its fields (no object per point on the hot path). */
  add(key: string, value: number, step: number, timestamp: number): void {
    if (this.queued >= this.maxQueued) {
      if (this.dropped++ === 0) {
        this.report(new Error(`Metric queue full (${this.maxQueued} points): dropping points`))
      }
      return
    }
    this.queued++
    this.buffer.push(key, value, step, timestamp)
    // After close() there is no timer, so send at once rather than strand the point.
    if (this.buffer.full || this.timer === undefined) this.seal()
  }

  /** Send everything queued and wait until it is stored; rejects with failures since the last flush. */
  async flush(): Promise<void> {
    this.seal()
    if (this.queued > 0) await new Promise<void>((resolve) => this.idleWaiters.push(resolve))
    if (this.dropped > 0) {
      this.errors.push(
        new Error(`${this.dropped} metric points were dropped because the queue was full`),
      )
      this.dropped = 0
    }
    const errors = this.errors.splice(0)
    if (errors.length === 1) throw errors[0]
    if (errors.length > 1)
      throw new AggregateError(errors, `${errors.length} metric batches failed`)
  }

  /** Flush and stop the timer; the queue accepts no more sends after this. */
  async close(): Promise<void> {
    clearInterval(this.timer)
    this.timer = undefined
    await this.flush()
  }

  private seal(): void {
    if (this.buffer.length > 0) {
      this.ready.push(this.buffer)
      this.buffer = new MetricBatch(this.batchSize)
    }
    this.pump()
  }

  private pump(): void {
    while (this.inFlight < this.maxInFlight && this.ready.length > 0) {
      const batch = this.ready.shift() as MetricBatch
      this.inFlight++
      void this.sendWithRetry(batch).finally(() => {
        this.inFlight--
        this.queued -= batch.length
        this.pump()
        if (this.queued === 0) for (const resolve of this.idleWaiters.splice(0)) resolve()
      })
    }
  }

  private async sendWithRetry(batch: MetricBatch): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.options.send(batch)
        return
      } catch (e) {
        if (!isRetryable(e) || attempt >= this.retry.maxRetries) {
          this.fail(e)
          return
        }
        await sleep(backoffDelay(this.retry, attempt))
      }
    }
  }

  private fail(error: unknown): void {
    this.errors.push(error)
    this.report(error)
  }

  private report(error: unknown): void {
    try {
      this.options.onError?.(error)
    } catch {
      // A throwing callback must not break the queue; the error still surfaces on flush().
    }
  }
}
