import { sql, type Kysely } from 'kysely'
import type { Database, MetricRow } from '../schema.ts'
import { writePages, type BlockDelta } from './block-pages.ts'
import { runCompiled, type StoreContext } from './context.ts'
import { blockOfStep, writeChunks, type BlockReader, type BlockWrite } from './metric-chunks.ts'
import { allocPoints, comparePoints, stepRange, type Points } from './point-chunks.ts'


/** A fine block's new points, as upserted into metric_blocks, folded into the coarse pages and stored as a chunk. */
type Summary = BlockDelta & { rows: MetricRow[]; sorted: boolean }

/** A block's new points as a chunk's columns, in point order. */
function chunkPoints(s: Summary): Points {
  const rows = s.sorted ? s.rows : [...s.rows].sort((a, b) => comparePoints(a.step, a.timestamp, a.isNan ? Number.NaN : a.value, b.step, b.timestamp, b.isNan ? Number.NaN : b.value))
  const p = allocPoints(rows.length)
  rows.forEach((r, i) => {
    p.step[i] = r.step
    p.timestamp[i] = r.timestamp
    p.value[i] = r.isNan ? Number.NaN : r.value
  })
  return p
}

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
 * Points of the batch already stored (they are not stored again). Only steps at or below the
 * series' latest step can repeat a stored point, so appends cost no read at all.
 */
async function storedPoints(read: BlockReader, keyId: number, points: MetricRow[], latestStep: number | undefined): Promise<Set<string> | undefined> {
  if (latestStep === undefined) return undefined
  let lo = Infinity
  let hi = -Infinity
  for (const p of points) {
    if (p.step > latestStep) continue
    if (p.step < lo) lo = p.step
    if (p.step > hi) hi = p.step
  }
  if (lo > hi) return undefined
  const stored = stepRange(await read(keyId, blockOfStep(lo), blockOfStep(hi)), lo, hi)
  const seen = new Set<string>()
  for (let i = 0; i < stored.length; i++) {
    const v = stored.value[i] as number
    seen.add(v !== v ? `${stored.step[i]}:${stored.timestamp[i]}:0:1` : `${stored.step[i]}:${stored.timestamp[i]}:${v}:0`)
  }
  return seen
}

/** Fold one series' new points (stored duplicates and repeats within the batch left out) per block. */
function summarise(keyId: number, points: MetricRow[], seen: Set<string> | undefined, out: Summary[]): void {
  const rising = strictlyRising(points)
  const dedupe = seen !== undefined || !rising
  const ids = seen ?? new Set<string>()
  const blocks = new Map<number, Summary>()
  let s: Summary | undefined
  for (const p of points) {
    if (dedupe) {
      const id = pointId(p)
      if (ids.has(id)) continue
      ids.add(id)
    }
    const block = blockOfStep(p.step)
    if (s?.block !== block) s = blocks.get(block)
    if (!s) {
      s = { keyId, block, first: p.step, firstTimestamp: p.timestamp, min: null, max: null, count: 0, step: p.step, timestamp: p.timestamp, value: p.value, isNan: p.isNan, rows: [], sorted: rising }
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
    s.rows.push(p)
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
  chunks = metric_blocks.chunks + 1,
  last_step = case when ${newer()} then excluded.last_step else metric_blocks.last_step end,
  last_timestamp = case when ${newer()} then excluded.last_timestamp else metric_blocks.last_timestamp end,
  last_value = case when ${newer()} then excluded.last_value else metric_blocks.last_value end,
  last_is_nan = case when ${newer()} then excluded.last_is_nan else metric_blocks.last_is_nan end
  returning key_id, block, count, chunks`

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
 * Store a batch of one run: its new distinct points as chunks (metric-chunks.ts), folded into
 * `metric_blocks` with one multi-row upsert and into the coarse pages. Exact duplicates (stored or
 * within the batch) are left out, so `count` is the number of distinct stored points. `latest` is
 * each key's latest_metrics row before the batch (undefined for a new series); `read` reads the
 * stored blocks (metric-chunks.ts blockReader).
 */
export async function recordMetricBlocks(
  ctx: StoreContext,
  trx: Kysely<Database>,
  runId: number,
  byKey: Map<number, MetricRow[]>,
  latest: Map<number, { step: number }>,
  read: BlockReader,
): Promise<void> {
  const out: Summary[] = []
  for (const [keyId, points] of byKey) {
    const top = latest.get(keyId)
    const seen = await storedPoints(read, keyId, points, top === undefined ? undefined : Number(top.step))
    summarise(keyId, points, seen, out)
  }
  if (out.length === 0) return
  const after = new Map<string, [number, number]>()
  for (const r of await upsertFine(trx, ctx, runId, out)) after.set(`${r.key_id}:${r.block}`, [Number(r.count), Number(r.chunks)])
  const writes: BlockWrite[] = out.map((s) => {
    const [count, chunks] = after.get(`${s.keyId}:${s.block}`) as [number, number]
    return { keyId: s.keyId, block: s.block, seq: count - s.count, chunks, points: chunkPoints(s) }
  })
  await writeChunks(ctx, trx, runId, writes)
  await writePages(trx, runId, out)
}

type Upserted = { key_id: number | string; block: number | string; count: number | string; chunks: number | string }

/** The fine rows' upsert, its SQL text cached per shape; returns each block's count and chunks after it. */
async function upsertFine(trx: Kysely<Database>, ctx: StoreContext, runId: number, out: Summary[]): Promise<Upserted[]> {
  // Cached SQL text per shape (runCompiled): building and compiling this upsert with Kysely on
  // every batch cost about a tenth of a 1,000-point log-batch's CPU.
  if (ctx.adapter.kind === 'postgres') {
    const params: unknown[] = [runId]
    for (const f of FIELDS) params.push(out.map(f))
    return runCompiled<Upserted>(trx, 'metric-blocks-upsert', () => {
      const [run, ...cols] = params as [number, ...unknown[][]]
      const types = ['int8', 'int8', 'int8', 'float8', 'float8', 'int8', 'int8', 'int8', 'float8', 'int2']
      const arrays = cols.map((c, i) => sql`cast(${c} as ${sql.raw(types[i] as string)}[])`)
      const q = sql<Upserted>`insert into metric_blocks ${COLUMNS} select cast(${run} as int8), * from unnest(${sql.join(arrays)}) ${merge}`
      return { compile: () => q.compile(trx) }
    }, params)
  }
  // SQLite: 11 parameters a row, 2,000 rows a statement (the limit is 32,766 parameters).
  const rows: Upserted[] = []
  for (let i = 0; i < out.length; i += 2000) {
    const chunk = out.slice(i, i + 2000)
    const params: unknown[] = []
    for (const s of chunk) {
      params.push(runId)
      for (const f of FIELDS) params.push(f(s))
    }
    rows.push(...(await runCompiled<Upserted>(trx, `metric-blocks-upsert-${chunk.length}`, () => {
      const values = chunk.map((_, r) => sql`(${sql.join(params.slice(r * 11, r * 11 + 11))})`)
      const q = sql<Upserted>`insert into metric_blocks ${COLUMNS} values ${sql.join(values)} ${merge}`
      return { compile: () => q.compile(trx) }
    }, params)))
  }
  return rows
}
