import type { Kysely } from 'kysely'
import type { Metric } from '@logbook/core'
import type { Database, MetricRow } from '../schema.ts'
import { runCompiled, type StoreContext } from './context.ts'
import { recordMetricBlocks } from './metric-blocks.ts'
import { blockOfStep, blockReader, type BlockReader } from './metric-chunks.ts'
import type { Points } from './point-chunks.ts'

type LatestRow = Database['latest_metrics']

function greater(a: MetricRow, b: { step: number; timestamp: number; value: number }): boolean {
  if (a.step !== b.step) return a.step > b.step
  if (a.timestamp !== b.timestamp) return a.timestamp > b.timestamp
  return a.value > b.value
}

const byStep = (a: { step: number; timestamp: number }, b: { step: number; timestamp: number }) =>
  a.step - b.step || a.timestamp - b.timestamp

function monotone(points: { step: number; timestamp: number }[]): boolean {
  for (let i = 1; i < points.length; i++) {
    if ((points[i] as MetricRow).timestamp < (points[i - 1] as MetricRow).timestamp) return false
  }
  return true
}

/** Existing points the window check reads at most; beyond that the series is marked unordered. */
const WINDOW_LIMIT = 5000

/**
 * Does a series stay ordered (timestamps rising with steps) once `points` join it? Appends are
 * decided from the latest row alone; a batch landing among earlier steps (concurrent writers,
 * retries) is checked against the stored points of the blocks of its step window and the nearest
 * stored points around them (the neighbouring blocks' last and first points).
 */
async function staysOrdered(
  read: BlockReader,
  trx: Kysely<Database>,
  runId: number,
  keyId: number,
  points: MetricRow[],
  before: LatestRow | undefined,
): Promise<boolean> {
  if (before && before.ordered === 0) return false
  const sorted = [...points].sort(byStep)
  if (!monotone(sorted)) return false
  const first = sorted[0] as MetricRow
  const last = sorted[sorted.length - 1] as MetricRow
  // The latest point has the greatest step and, while ordered, the greatest timestamp.
  if (!before || (first.step >= before.step && first.timestamp >= before.timestamp)) return true
  const lo = blockOfStep(first.step)
  const hi = blockOfStep(last.step)
  const window = await read(keyId, lo, hi)
  if (window.length > WINDOW_LIMIT) return false
  const neighbour = (dir: 'desc' | 'asc') =>
    trx.selectFrom('metric_blocks').select('block').where('run_id', '=', runId).where('key_id', '=', keyId)
      .where('block', dir === 'desc' ? '<' : '>', dir === 'desc' ? lo : hi).orderBy('block', dir).limit(1).executeTakeFirst()
  const [prev, next] = await Promise.all([neighbour('desc'), neighbour('asc')])
  const [pred, succ] = await Promise.all([prev, next].map((b) => (b ? read(keyId, Number(b.block), Number(b.block)) : undefined)))
  const stored: { step: number; timestamp: number }[] = []
  const at = (p: Points, i: number) => ({ step: p.step[i] as number, timestamp: p.timestamp[i] as number })
  if (pred && pred.length > 0) stored.push(at(pred, pred.length - 1))
  for (let i = 0; i < window.length; i++) stored.push(at(window, i))
  if (succ && succ.length > 0) stored.push(at(succ, 0))
  return monotone([...stored, ...sorted].sort(byStep))
}

/** Fold a run's batch into the new latest row of each key, given the rows stored so far. */
function foldLatest(
  runId: number,
  byKey: Map<number, MetricRow[]>,
  stored: Map<number, LatestRow>,
  ordered: Map<number, boolean>,
): LatestRow[] {
  const out: LatestRow[] = []
  for (const [keyId, points] of byKey) {
    const before = stored.get(keyId)
    let best: MetricRow | undefined
    let min = before?.min_value ?? null
    let max = before?.max_value ?? null
    for (const p of points) {
      if (!best || greater(p, best)) best = p
      if (!p.isNan) {
        if (min === null || p.value < min) min = p.value
        if (max === null || p.value > max) max = p.value
      }
    }
    const top = best as MetricRow
    const keep = before && !greater(top, before)
    out.push({
      run_id: runId,
      key_id: keyId,
      step: keep ? before.step : top.step,
      timestamp: keep ? before.timestamp : top.timestamp,
      value: keep ? before.value : top.value,
      is_nan: keep ? before.is_nan : top.isNan,
      min_value: min,
      max_value: max,
      ordered: ordered.get(keyId) === false ? 0 : 1,
    })
  }
  return out.sort((a, b) => a.key_id - b.key_id)
}

/** Turn wire metrics into rows: NaN is stored as 0 with a flag (SQLite cannot store NaN). */
export function toMetricRows(
  runId: number,
  metrics: Metric[],
  keyIds: Map<string, number>,
): MetricRow[] {
  return metrics.map((m) => {
    const nan = Number.isNaN(m.value)
    return {
      runId,
      keyId: keyIds.get(m.key) as number,
      step: m.step,
      timestamp: m.timestamp,
      value: nan ? 0 : m.value,
      isNan: nan ? 1 : 0,
    }
  })
}

/**
 * Append points and maintain `latest_metrics` (MLflow's latest = greatest (step, timestamp, value),
 * plus min, max and the ordered flag). Runs inside the caller's write transaction, which on
 * PostgreSQL must hold the run row's lock (findActiveRun's `lock`) so that concurrent batches of one
 * run fold in sequence (SQLite's writer lock already serialises them).
 */
export async function writeMetrics(
  ctx: StoreContext,
  trx: Kysely<Database>,
  runId: number,
  rows: MetricRow[],
): Promise<void> {
  if (rows.length === 0) return
  const byKey = new Map<number, MetricRow[]>()
  for (const r of rows) {
    const list = byKey.get(r.keyId)
    if (list) list.push(r)
    else byKey.set(r.keyId, [r])
  }
  const keyIds = [...byKey.keys()]
  const stored = await runCompiled(
    trx,
    `latest-select-${keyIds.length}`,
    () => trx.selectFrom('latest_metrics').selectAll().where('run_id', '=', runId).where('key_id', 'in', keyIds),
    [runId, ...keyIds],
  )
  const before = new Map(stored.map((r) => [r.key_id, r]))
  // Decided from the points stored before the batch, which recordMetricBlocks then stores; both
  // read stored blocks through one reader.
  const read = blockReader(ctx, trx, runId)
  const ordered = new Map<number, boolean>()
  for (const [keyId, points] of byKey) {
    ordered.set(keyId, await staysOrdered(read, trx, runId, keyId, points, before.get(keyId)))
  }
  await recordMetricBlocks(ctx, trx, runId, byKey, before, read)
  const latest = foldLatest(runId, byKey, before, ordered)
  const params: unknown[] = []
  for (const row of latest) for (const c of LATEST_COLUMNS) params.push(row[c])
  await runCompiled(
    trx,
    `latest-upsert-${latest.length}`,
    () =>
      trx
        .insertInto('latest_metrics')
        .values(latest.map((row) => Object.fromEntries(LATEST_COLUMNS.map((c) => [c, row[c]])) as LatestRow))
        .onConflict((oc) =>
          oc.columns(['run_id', 'key_id']).doUpdateSet((eb) => ({
            step: eb.ref('excluded.step'),
            timestamp: eb.ref('excluded.timestamp'),
            value: eb.ref('excluded.value'),
            is_nan: eb.ref('excluded.is_nan'),
            min_value: eb.ref('excluded.min_value'),
            max_value: eb.ref('excluded.max_value'),
            ordered: eb.ref('excluded.ordered'),
          })),
        ),
    params,
  )
}

/** Column order of the compiled latest_metrics upsert's parameters (row by row). */
const LATEST_COLUMNS = ['run_id', 'key_id', 'step', 'timestamp', 'value', 'is_nan', 'min_value', 'max_value', 'ordered'] as const
