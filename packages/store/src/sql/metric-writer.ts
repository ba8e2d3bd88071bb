import { sql, type Kysely } from 'kysely'
import type { Metric } from '@logbook/core'
import type { Database, MetricRow } from '../schema.ts'
import type { StoreContext } from './context.ts'

type LatestRow = Database['latest_metrics']

function greater(a: MetricRow, b: { step: number; timestamp: number; value: number }): boolean {
  if (a.step !== b.step) return a.step > b.step
  if (a.timestamp !== b.timestamp) return a.timestamp > b.timestamp
  return a.value > b.value
}

/** Is a batch's series ordered the same by step and by timestamp, given the series so far? */
function stillOrdered(points: MetricRow[], before: LatestRow | undefined): boolean {
  if (before && before.ordered === 0) return false
  const sorted = [...points].sort((a, b) => a.step - b.step || a.timestamp - b.timestamp)
  const first = sorted[0]
  // The previous latest point has the greatest step and, while ordered, the greatest timestamp.
  if (before && first && (first.step < before.step || first.timestamp < before.timestamp))
    return false
  for (let i = 1; i < sorted.length; i++) {
    if ((sorted[i] as MetricRow).timestamp < (sorted[i - 1] as MetricRow).timestamp) return false
  }
  return true
}

/** Fold a run's batch into the new latest row of each key, given the rows stored so far. */
function foldLatest(runId: number, rows: MetricRow[], stored: Map<number, LatestRow>): LatestRow[] {
  const byKey = new Map<number, MetricRow[]>()
  for (const r of rows) {
    const list = byKey.get(r.keyId)
    if (list) list.push(r)
    else byKey.set(r.keyId, [r])
  }
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
      ordered: stillOrdered(points, before) ? 1 : 0,
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
 * plus min, max and the ordered flag). Runs inside the caller's write transaction; on PostgreSQL the
 * run row is locked first so concurrent batches of one run fold in sequence (SQLite's writer lock
 * already serialises them).
 */
export async function writeMetrics(
  ctx: StoreContext,
  trx: Kysely<Database>,
  runId: number,
  rows: MetricRow[],
): Promise<void> {
  if (rows.length === 0) return
  if (ctx.adapter.rowLocks)
    await sql`select id from runs where id = ${runId} for update`.execute(trx)
  const keyIds = [...new Set(rows.map((r) => r.keyId))]
  const stored = await trx
    .selectFrom('latest_metrics')
    .selectAll()
    .where('run_id', '=', runId)
    .where('key_id', 'in', keyIds)
    .execute()
  await ctx.adapter.insertMetrics(trx, rows)
  const latest = foldLatest(runId, rows, new Map(stored.map((r) => [r.key_id, r])))
  await trx
    .insertInto('latest_metrics')
    .values(latest)
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
    )
    .execute()
}
