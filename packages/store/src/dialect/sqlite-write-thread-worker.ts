/**
 * The write thread's program (see sqlite-write-thread.ts): a second connection to the same SQLite
 * file running the store's own log-batch code (sql/logging.ts) for the metric-carrying writes it
 * is sent, one message per request, answering each with nothing (done) or the MLflow error raised.
 * Between write groups it also computes part of a chart's downsampled series (sql/sampled-metrics.ts)
 * when asked. The serving thread has opened and migrated the database already.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { sql } from 'kysely'
import { isMlflowError, type KeyValue, type Metric, type MetricColumns } from '@logbook/core'
import * as logging from '../sql/logging.ts'
import { sampledMetrics } from '../sql/sampled-metrics.ts'
import type { SampledMetricsQuery, SampledSeries } from '../ui-queries.ts'
import type { StoreContext } from '../sql/context.ts'
import { createSqliteAdapter } from './sqlite-dialect.ts'

export interface WriteRequest {
  id: number
  /** logBatch applies MLflow's per-request limits; logMetrics is the binary route's bulk write. */
  op: 'logBatch' | 'logMetrics'
  runId: string
  /** The points column-wise; their buffers are transferred, not copied. */
  metrics: MetricColumns
  /** The optional fields (logged model, dataset, run) of the points that carry any, by index. */
  extras: MetricExtras[]
  params: KeyValue[]
  tags: KeyValue[]
}

/** A point's optional fields, as log-batch received them (MLflow 3: model_id, dataset_*). */
export type MetricExtras = Pick<Metric, 'run_id' | 'model_id' | 'dataset_name' | 'dataset_digest'> & { i: number }

/** Downsampled series of some runs, read with this thread's connection (its last commit included). */
export interface ReadRequest {
  id: number
  op: 'sampled'
  query: SampledMetricsQuery
}

export type WriteReply =
  | { id: number; ok: true; series?: SampledSeries[] }
  | { id: number; ok: false; code: string; message: string }
  | { id: number; ok: false; crash: string }

export interface WriteThreadData {
  path: string
  defaultArtifactRoot: string
  /** This connection's page cache: it touches the tails of the series being written, little else. */
  cacheKib: number
}

if (!parentPort) throw new Error('sqlite-write-thread-worker runs as a worker thread only')
const port = parentPort
const data = workerData as WriteThreadData

/** The main thread built the columns from metrics it had parsed and checked: rebuild them as they were. */
function toMetrics(cols: MetricColumns, extras: MetricExtras[]): Metric[] {
  const out = new Array<Metric>(cols.values.length)
  for (let i = 0; i < out.length; i++) {
    out[i] = { key: cols.keys[cols.keyIndex[i] as number] as string, value: cols.values[i] as number, step: cols.steps[i] as number, timestamp: cols.timestamps[i] as number }
  }
  for (const { i, ...fields } of extras) Object.assign(out[i] as Metric, fields)
  return out
}

/**
 * A group's bounds. The write lock is held ~3 ms per 1,000 points here, and a serving-thread write
 * (create run, set tag) waits for the group in SQLite's busy handler. Measured with 8 clients of
 * 1,000-point log-batches (same window, points/s): 1 request a group 240-243k, 4 251-266k,
 * 8 267-279k; serving-thread writes, without this thread, 196-199k.
 */
const GROUP_MAX_REQUESTS = 8
const GROUP_MAX_POINTS = 8_000

const reply = (id: number, e: unknown): WriteReply =>
  isMlflowError(e)
    ? { id, ok: false, code: e.code, message: e.message }
    : { id, ok: false, crash: e instanceof Error ? (e.stack ?? e.message) : String(e) }

async function main(): Promise<void> {
  const adapter = createSqliteAdapter(data.path)
  const db = adapter.db
  await sql.raw(`pragma cache_size = -${Math.floor(data.cacheKib)}`).execute(db)
  // Group commit: the requests waiting when the thread turns to the queue share one transaction,
  // each inside a savepoint of its own, so one request's error rolls back that request alone and
  // every reply waits for the commit. The store's code runs unchanged: its transaction() is the
  // group's. Only this thread uses this connection, one statement after another.
  const groupAdapter = { ...adapter, transaction: <T>(fn: (trx: typeof db) => Promise<T>) => fn(db) }
  // The caches (metric key ids here, experiment keys in ui-keys.ts) may name rows a rollback
  // removed; after any rollback the thread starts over with empty ones.
  const freshContext = (): StoreContext => ({ adapter: groupAdapter, db, defaultArtifactRoot: data.defaultArtifactRoot, keyIds: new Map() })
  let ctx = freshContext()
  const write = async (msg: WriteRequest) => {
    const metrics = toMetrics(msg.metrics, msg.extras)
    if (msg.op === 'logMetrics') await logging.logMetrics(ctx, msg.runId, metrics)
    else await logging.logBatch(ctx, msg.runId, { metrics, params: msg.params, tags: msg.tags })
  }
  const writeGroup = async (group: WriteRequest[]): Promise<WriteReply[]> => {
    const replies: WriteReply[] = []
    await sql`begin immediate`.execute(db)
    try {
      for (const msg of group) {
        await sql`savepoint request`.execute(db)
        try {
          await write(msg)
          replies.push({ id: msg.id, ok: true })
        } catch (e) {
          await sql`rollback to request`.execute(db)
          ctx = freshContext()
          replies.push(reply(msg.id, e))
        }
        await sql`release request`.execute(db)
      }
      await sql`commit`.execute(db)
      return replies
    } catch (e) {
      await sql`rollback`.execute(db).catch(() => undefined)
      ctx = freshContext()
      return group.map((msg) => reply(msg.id, e))
    }
  }

  const queue: WriteRequest[] = []
  let draining: Promise<void> | undefined
  const drain = async () => {
    while (queue.length > 0) {
      let n = 1
      let points = (queue[0] as WriteRequest).metrics.values.length
      for (; n < queue.length && n < GROUP_MAX_REQUESTS; n++) {
        points += (queue[n] as WriteRequest).metrics.values.length
        if (points > GROUP_MAX_POINTS) break
      }
      for (const r of await writeGroup(queue.splice(0, n))) port.postMessage(r)
    }
    draining = undefined
  }
  // Reads run after the write groups under way, never inside one (they would see its uncommitted
  // rows), and without yielding between series, so no group starts while they run.
  const read = async (msg: ReadRequest) => {
    await draining
    try {
      const series = await sampledMetrics(ctx, msg.query, { yieldBetween: false })
      port.postMessage({ id: msg.id, ok: true, series } satisfies WriteReply)
    } catch (e) {
      port.postMessage(reply(msg.id, e))
    }
  }
  port.on('message', (msg: WriteRequest | ReadRequest | 'close') => {
    if (msg === 'close') {
      void (draining ?? Promise.resolve()).then(() => adapter.close()).finally(() => port.postMessage('closed'))
      return
    }
    if (msg.op === 'sampled') return void read(msg)
    queue.push(msg)
    draining ??= drain()
  })
  port.postMessage('ready')
}

main().catch((e: unknown) => {
  port.postMessage({ failed: e instanceof Error ? (e.stack ?? e.message) : String(e) })
})
