import { sql, type Kysely } from 'kysely'
import { COARSE_FACTOR } from '../migrations/0007-metric-blocks-coarse.ts'
import {
  PAGE_BLOCKS,
  PAGE_FIELDS,
  encodePage,
  type CoarseEntry,
} from '../migrations/0008-metric-block-pages.ts'
import type { Database } from '../schema.ts'
import { runCompiled, type StoreContext } from './context.ts'
import type { BucketColumns } from './sampled-block-buckets.ts'
import type { SeriesRef } from './sampled-buckets.ts'

/** The page of a coarse block (floor division: blocks of negative steps are negative). */
export const pageOf = (block: number): number => Math.floor(block / PAGE_BLOCKS)

/** A page's entries, in block order, as stored by encodePage (a byte string of any alignment). */
export function decodePage(data: Uint8Array): CoarseEntry[] {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength)
  const out: CoarseEntry[] = []
  for (let at = 0; at + PAGE_FIELDS * 8 <= data.byteLength; at += PAGE_FIELDS * 8) {
    const min = view.getFloat64(at + 24, true)
    const max = view.getFloat64(at + 32, true)
    out.push({
      block: view.getFloat64(at, true),
      first: view.getFloat64(at + 8, true),
      count: view.getFloat64(at + 16, true),
      min: Number.isNaN(min) ? null : min,
      max: Number.isNaN(max) ? null : max,
      last: view.getFloat64(at + 40, true),
      lastStep: view.getFloat64(at + 48, true),
      lastTimestamp: view.getFloat64(at + 56, true),
      firstTimestamp: view.getFloat64(at + 64, true),
    })
  }
  return out
}

/**
 * Entries (in block order) of blocks [first, end) summed per bucket of k blocks aligned to
 * multiples of k: x is the bucket's first step, n its points, min/max over its blocks (NaN when
 * all of them are all-NaN), last the last point of its greatest block. The same buckets as
 * blockBuckets computes in SQL from metric_blocks.
 */
export function bucketEntries(
  entries: CoarseEntry[],
  first: number,
  end: number,
  k: number,
): BucketColumns {
  const out: BucketColumns = { x: [], n: [], mn: [], mx: [], last: [] }
  const base = Math.floor(first / k) * k
  let bucket: number | undefined
  for (const e of entries) {
    if (e.block < first || e.block >= end) continue
    const b = Math.floor((e.block - base) / k)
    if (b !== bucket) {
      bucket = b
      out.x.push(e.first)
      out.n.push(e.count)
      out.mn.push(e.min ?? Number.NaN)
      out.mx.push(e.max ?? Number.NaN)
      out.last.push(e.last)
      continue
    }
    const i = out.x.length - 1
    out.n[i] = (out.n[i] as number) + e.count
    const mn = out.mn[i] as number
    const mx = out.mx[i] as number
    if (e.min !== null) out.mn[i] = Number.isNaN(mn) ? e.min : Math.min(mn, e.min)
    if (e.max !== null) out.mx[i] = Number.isNaN(mx) ? e.max : Math.max(mx, e.max)
    out.last[i] = e.last
  }
  return out
}

/** Coarse blocks [first, end) of one series in buckets of k, read from the pages that hold them. */
export async function pageBuckets(
  ctx: StoreContext,
  s: SeriesRef,
  first: number,
  end: number,
  k: number,
): Promise<BucketColumns> {
  const q = ctx.db
    .selectFrom('metric_block_pages')
    .select('data')
    .where('run_id', '=', s.runId)
    .where('key_id', '=', s.keyId)
    .where('page', '>=', pageOf(first))
    .where('page', '<=', pageOf(end - 1))
    .orderBy('page')
  const entries: CoarseEntry[] = []
  for (const [data] of await ctx.adapter.selectArrays(ctx.db, q.compile())) {
    for (const e of decodePage(data as Uint8Array)) entries.push(e)
  }
  const out = bucketEntries(entries, first, end, k)
  // A bucket's x is its first block's first step: that block's first timestamp is the x's (both
  // lists rise with the step, so one pass pairs them).
  out.t = []
  let i = 0
  for (const x of out.x) {
    while (i < entries.length && (entries[i] as CoarseEntry).first < x) i++
    const e = entries[i]
    out.t.push(e?.first === x ? e.firstTimestamp : Number.NaN)
  }
  return out
}

/**
 * What one batch added to one fine block (sql/metric-blocks.ts): its new distinct points' first
 * step, min/max (null when all NaN), count and last point; the value of a NaN point is stored as 0.
 */
export interface BlockDelta {
  keyId: number
  block: number
  first: number
  min: number | null
  max: number | null
  count: number
  step: number
  timestamp: number
  value: number
  isNan: number
  /** The smallest timestamp at `first`. */
  firstTimestamp: number
}

/** Is the delta's last point later than the entry's, by (step, timestamp, value, is_nan)? */
function later(e: CoarseEntry, d: BlockDelta): boolean {
  if (d.step !== e.lastStep) return d.step > e.lastStep
  if (d.timestamp !== e.lastTimestamp) return d.timestamp > e.lastTimestamp
  const nan = Number.isNaN(e.last)
  const value = nan ? 0 : e.last
  if (d.value !== value) return d.value > value
  return d.isNan > (nan ? 1 : 0)
}

/** A coarse entry with a fine block's new points folded in (every field is a fold: min, max, sum, latest). */
export function foldDelta(e: CoarseEntry | undefined, d: BlockDelta): CoarseEntry {
  const last = d.isNan === 1 ? Number.NaN : d.value
  if (!e) {
    const block = Math.floor(d.block / COARSE_FACTOR)
    return {
      block,
      first: d.first,
      count: d.count,
      min: d.min,
      max: d.max,
      last,
      lastStep: d.step,
      lastTimestamp: d.timestamp,
      firstTimestamp: d.firstTimestamp,
    }
  }
  const pick = (a: number | null, b: number | null, f: (x: number, y: number) => number) =>
    a === null ? b : b === null ? a : f(a, b)
  const newer = later(e, d)
  return {
    block: e.block,
    first: Math.min(e.first, d.first),
    count: e.count + d.count,
    min: pick(e.min, d.min, Math.min),
    max: pick(e.max, d.max, Math.max),
    last: newer ? last : e.last,
    lastStep: newer ? d.step : e.lastStep,
    lastTimestamp: newer ? d.timestamp : e.lastTimestamp,
    // At the same first step the smaller timestamp; an unknown one (NaN) stays unknown.
    firstTimestamp:
      d.first < e.first
        ? d.firstTimestamp
        : d.first === e.first
          ? Math.min(e.firstTimestamp, d.firstTimestamp)
          : e.firstTimestamp,
  }
}

/** Page rows per upsert statement (4 parameters each). */
const UPSERT_CHUNK = 500

/**
 * Fold one batch's new points (per fine block, any keys of one run) into the coarse entries of
 * their pages: read those pages, fold, write them back. Runs in the write transaction of the batch
 * (batches of one run are serialised: SQLite's writer lock, PostgreSQL's lock on the run row), so a
 * page is never rewritten from a stale copy.
 */
export async function writePages(
  trx: Kysely<Database>,
  runId: number,
  deltas: BlockDelta[],
): Promise<void> {
  if (deltas.length === 0) return
  const pages = new Map<string, { key: number; page: number; entries: Map<number, CoarseEntry> }>()
  let lo = Infinity
  let hi = -Infinity
  for (const d of deltas) {
    const page = pageOf(Math.floor(d.block / COARSE_FACTOR))
    lo = Math.min(lo, page)
    hi = Math.max(hi, page)
    const id = `${d.keyId}:${page}`
    if (!pages.has(id)) pages.set(id, { key: d.keyId, page, entries: new Map() })
  }
  const keys = [...new Set(deltas.map((d) => d.keyId))]
  const stored = await runCompiled(
    trx,
    `block-pages-read-${keys.length}`,
    () =>
      trx
        .selectFrom('metric_block_pages')
        .select(['key_id', 'page', 'data'])
        .where('run_id', '=', runId)
        .where('key_id', 'in', keys)
        .where('page', '>=', lo)
        .where('page', '<=', hi),
    [runId, ...keys, lo, hi],
  )
  for (const s of stored) {
    const p = pages.get(`${Number(s.key_id)}:${Number(s.page)}`)
    if (p) for (const e of decodePage(s.data)) p.entries.set(e.block, e)
  }
  for (const d of deltas) {
    const block = Math.floor(d.block / COARSE_FACTOR)
    const p = pages.get(`${d.keyId}:${pageOf(block)}`)!
    p.entries.set(block, foldDelta(p.entries.get(block), d))
  }
  const list = [...pages.values()]
  for (let i = 0; i < list.length; i += UPSERT_CHUNK) {
    const chunk = list.slice(i, i + UPSERT_CHUNK)
    const params: unknown[] = []
    for (const p of chunk)
      params.push(
        runId,
        p.key,
        p.page,
        encodePage([...p.entries.values()].sort((a, b) => a.block - b.block)),
      )
    await runCompiled(
      trx,
      `block-pages-upsert-${chunk.length}`,
      () => {
        const values = chunk.map((_, r) => sql`(${sql.join(params.slice(r * 4, r * 4 + 4))})`)
        const q = sql`insert into metric_block_pages (run_id, key_id, page, data) values ${sql.join(values)}
          on conflict (run_id, key_id, page) do update set data = excluded.data`
        return { compile: () => q.compile(trx) }
      },
      params,
    )
  }
}
