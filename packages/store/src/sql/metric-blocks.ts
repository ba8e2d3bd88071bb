import { sql, type Kysely } from 'kysely'
import { METRIC_BLOCK } from '../migrations/0006-metric-blocks.ts'
import type { Database, MetricRow } from '../schema.ts'
import { writePages, type BlockDelta } from './block-pages.ts'
import { runCompiled, type StoreContext } from './context.ts'

/** The block of a step: floor division, the same as migration 0006's SQL for negative steps. */
export const blockOf = (step: number): number => Math.floor(step / METRIC_BLOCK)

/** A fine block's new points, as upserted into metric_blocks and folded into the coarse pages. */
type Summary = BlockDelta

const pointId = (p: MetricRow) => `${p.step}:${p.timestamp}:${p.value}:${p.isNan}`

/** Is b greater than a by MLflow's latest rule (step, timestamp, value; then NaN flag)? */
function later(a: Summary, b: MetricRow): boolean {
  if (b.step !== a.step) return b.step > a.step
  if (b.timestamp !== a.timestamp) return b.timestamp > a.timestamp
  if (b.value !== a.value) return b.value > a.value
  return b.isNan > a.isNan
}

/** Strictly increasing by (step, timestamp): then the batch holds no point twice. */
function strictlyRising(points: MetricRow[]): boolean {
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1] as MetricRow
    const b = points[i] as MetricRow
    if (b.step < a.step || (b.step === a.step && b.timestamp <= a.timestamp)) return false
  }
  return true
}

/**
 * Points of the batch already stored (the metrics primary key ignores them). Only steps at or
 * below the series' latest step can repeat a stored point, so appends cost no read at all.
 */
async function storedPoints(trx: Kysely<Database>, runId: number, keyId: number, points: MetricRow[], latestStep: number | undefined): Promise<Set<string> | undefined> {
  if (latestStep === undefined || !points.some((p) => p.step <= latestStep)) return undefined
  const steps = [...new Set(points.filter((p) => p.step <= latestStep).map((p) => p.step))]
  const seen = new Set<string>()
  for (let i = 0; i < steps.length; i += 500) {
    const rows = await trx
      .selectFrom('metrics')
      .select(['step', 'timestamp', 'value', 'is_nan'])
      .where('run_id', '=', runId)
      .where('key_id', '=', keyId)
      .where('step', 'in', steps.slice(i, i + 500))
      .execute()
    for (const r of rows) seen.add(`${Number(r.step)}:${Number(r.timestamp)}:${r.value}:${r.is_nan}`)
  }
  return seen
}

/** Fold one series' new points (stored duplicates and repeats within the batch left out) per block. */
function summarise(keyId: number, points: MetricRow[], seen: Set<string> | undefined, out: Summary[]): void {
  const dedupe = seen !== undefined || !strictlyRising(points)
  const ids = seen ?? new Set<string>()
  const blocks = new Map<number, Summary>()
  let s: Summary | undefined
  for (const p of points) {
    if (dedupe) {
      const id = pointId(p)
      if (ids.has(id)) continue
      ids.add(id)
    }
    const block = blockOf(p.step)
    if (s?.block !== block) s = blocks.get(block)
    if (!s) {
      s = { keyId, block, first: p.step, firstTimestamp: p.timestamp, min: null, max: null, count: 0, step: p.step, timestamp: p.timestamp, value: p.value, isNan: p.isNan }
      blocks.set(block, s)
      out.push(s)
    } else {
      if (p.step < s.first || (p.step === s.first && p.timestamp < s.firstTimestamp)) {
        s.first = p.step
        s.firstTimestamp = p.timestamp
      }
      if (later(s, p)) {
        s.step = p.step
        s.timestamp = p.timestamp
        s.value = p.value
        s.isNan = p.isNan
      }
    }
    s.count++
    if (!p.isNan) {
      if (s.min === null || p.value < s.min) s.min = p.value
      if (s.max === null || p.value > s.max) s.max = p.value
    }
  }
}

// Merge a block's new summary into the stored one: min/max skip nulls (all-NaN), counts add up,
// last_* move only when the new last point is greater by (step, timestamp, value, is_nan).
const merge = sql`on conflict (run_id, key_id, block) do update set
  first_step = case when excluded.first_step < metric_blocks.first_step then excluded.first_step else metric_blocks.first_step end,
  min_value = case when metric_blocks.min_value is null or excluded.min_value < metric_blocks.min_value
    then excluded.min_value else metric_blocks.min_value end,
  max_value = case when metric_blocks.max_value is null or excluded.max_value > metric_blocks.max_value
    then excluded.max_value else metric_blocks.max_value end,
  count = metric_blocks.count + excluded.count,
  last_step = case when ${newer()} then excluded.last_step else metric_blocks.last_step end,
  last_timestamp = case when ${newer()} then excluded.last_timestamp else metric_blocks.last_timestamp end,
  last_value = case when ${newer()} then excluded.last_value else metric_blocks.last_value end,
  last_is_nan = case when ${newer()} then excluded.last_is_nan else metric_blocks.last_is_nan end`

function newer() {
  return sql`(excluded.last_step, excluded.last_timestamp, excluded.last_value, excluded.last_is_nan)
    > (metric_blocks.last_step, metric_blocks.last_timestamp, metric_blocks.last_value, metric_blocks.last_is_nan)`
}

/** The columns after run_id, in COLUMNS order. */
const FIELDS: ((s: Summary) => number | null)[] = [
  (s) => s.keyId, (s) => s.block, (s) => s.first, (s) => s.min, (s) => s.max, (s) => s.count,
  (s) => s.step, (s) => s.timestamp, (s) => s.value, (s) => s.isNan,
]

const COLUMNS = sql`(run_id, key_id, block, first_step, min_value, max_value, count, last_step, last_timestamp, last_value, last_is_nan)`

/**
 * Fold a batch of one run into `metric_blocks` with one multi-row upsert; call it in the write
 * transaction before the points are inserted (it reads stored points to leave duplicates out, so
 * `count` is the number of distinct stored points). `latest` is each key's latest_metrics row
 * before the batch (undefined for a new series).
 */
export async function recordMetricBlocks(
  ctx: StoreContext,
  trx: Kysely<Database>,
  runId: number,
  byKey: Map<number, MetricRow[]>,
  latest: Map<number, { step: number }>,
): Promise<void> {
  const out: Summary[] = []
  for (const [keyId, points] of byKey) {
    const top = latest.get(keyId)
    const seen = await storedPoints(trx, runId, keyId, points, top === undefined ? undefined : Number(top.step))
    summarise(keyId, points, seen, out)
  }
  if (out.length === 0) return
  await upsertFine(trx, ctx, runId, out)
  await writePages(trx, runId, out)
}

/** The fine rows' upsert, its SQL text cached per shape. */
async function upsertFine(trx: Kysely<Database>, ctx: StoreContext, runId: number, out: Summary[]): Promise<void> {
  // Cached SQL text per shape (runCompiled): building and compiling this upsert with Kysely on
  // every batch cost about a tenth of a 1,000-point log-batch's CPU.
  if (ctx.adapter.kind === 'postgres') {
    const params: unknown[] = [runId]
    for (const f of FIELDS) params.push(out.map(f))
    await runCompiled(trx, 'metric-blocks-upsert', () => {
      const [run, ...cols] = params as [number, ...unknown[][]]
      const types = ['int8', 'int8', 'int8', 'float8', 'float8', 'int8', 'int8', 'int8', 'float8', 'int2']
      const arrays = cols.map((c, i) => sql`cast(${c} as ${sql.raw(types[i] as string)}[])`)
      const q = sql`insert into metric_blocks ${COLUMNS} select cast(${run} as int8), * from unnest(${sql.join(arrays)}) ${merge}`
      return { compile: () => q.compile(trx) }
    }, params)
    return
  }
  // SQLite: 11 parameters a row, 2,000 rows a statement (the limit is 32,766 parameters).
  for (let i = 0; i < out.length; i += 2000) {
    const chunk = out.slice(i, i + 2000)
    const params: unknown[] = []
    for (const s of chunk) {
      params.push(runId)
      for (const f of FIELDS) params.push(f(s))
    }
    await runCompiled(trx, `metric-blocks-upsert-${chunk.length}`, () => {
      const rows = chunk.map((_, r) => sql`(${sql.join(params.slice(r * 11, r * 11 + 11))})`)
      const q = sql`insert into metric_blocks ${COLUMNS} values ${sql.join(rows)} ${merge}`
      return { compile: () => q.compile(trx) }
    }, params)
  }
}
