import { invalidParam, decodeDouble, decodePageToken, encodeDouble, encodePageToken, type Metric, type Page } from '@logbook/core'
import type { RunMetric } from '../tracking-store.ts'
import type { StoreContext } from './context.ts'
import { blockOfStep, readBlocks, readPoints } from './metric-chunks.ts'
import { comparePoints, firstByTime, lowerStep, pick, sortByTime, type Points } from './point-chunks.ts'

/** Keyset position: mode `s` = (step, timestamp, value, is_nan), `t` = (timestamp, step, value, is_nan). */
interface Cursor {
  m: 's' | 't'
  k: [number, number, number, number]
}

function decodeCursor(token: string | undefined): Cursor | undefined {
  if (token === undefined || token === '') return undefined
  const c = decodePageToken(token)
  // Infinite values travel as MLflow's strings (JSON has no literal for them).
  const k = Array.isArray(c?.k) ? (c.k as unknown[]).map((x) => (typeof x === 'string' ? decodeDouble(x) : x)) : undefined
  if (!c || (c.m !== 's' && c.m !== 't') || !k || k.length !== 4 || !k.every((x) => typeof x === 'number')) {
    throw invalidParam(`Invalid page token: '${token.slice(0, 100)}'`)
  }
  return { m: c.m, k: k as Cursor['k'] }
}

async function keyId(ctx: StoreContext, key: string): Promise<number | undefined> {
  const cached = ctx.keyIds.get(key)
  if (cached !== undefined) return cached
  const row = await ctx.db.selectFrom('metric_keys').select('id').where('key', '=', key).executeTakeFirst()
  if (row) ctx.keyIds.set(key, row.id)
  return row?.id
}

async function runIds(ctx: StoreContext, runUuids: string[]): Promise<Map<string, number>> {
  if (runUuids.length === 0) return new Map()
  const rows = await ctx.db.selectFrom('runs').select(['id', 'run_uuid']).where('run_uuid', 'in', runUuids).execute()
  return new Map(rows.map((r) => [r.run_uuid, r.id]))
}

type Row = [number, number, number, number]

/** Compare point i with the cursor in the page order of `mode` (values: NaN points as NaN). */
function afterCursor(p: Points, i: number, c: Cursor): boolean {
  const [a, b, v, nan] = c.k
  const cv = nan ? Number.NaN : v
  const step = p.step[i] as number
  const ts = p.timestamp[i] as number
  const value = p.value[i] as number
  return (c.m === 's' ? comparePoints(step, ts, value, a, b, cv) : comparePoints(ts, step, value, a, b, cv)) > 0
}

/** A page: points [from, to) of `p`, which is in the page order of `mode`; `more` when points follow. */
interface PageSlice {
  p: Points
  from: number
  to: number
  more: boolean
  mode: 's' | 't'
}

/** The first block from which `limit + 1` points follow `first` in step order, from metric_blocks' counts. */
async function endBlock(ctx: StoreContext, runId: number, keyId: number, first: number | undefined, need: number): Promise<number | undefined> {
  let q = ctx.db.selectFrom('metric_blocks').select(['block', 'count']).where('run_id', '=', runId).where('key_id', '=', keyId)
  if (first !== undefined) q = q.where('block', '>', first)
  const rows = (await ctx.adapter.selectArrays(ctx.db, q.orderBy('block').compile())) as [number, number][]
  let sum = 0
  for (const [block, count] of rows) {
    sum += Number(count)
    if (sum >= need) return Number(block)
  }
  return undefined
}

/**
 * One history page in MLflow's order (timestamp, step, value), paged by a keyset cursor. While a
 * series' timestamps rise with its steps (the `ordered` flag), that order equals the chunks' (step,
 * timestamp, value) and a page reads only the blocks it needs (their sizes from metric_blocks);
 * otherwise the whole series is read and sorted by timestamp. Undefined for an unknown run or key.
 */
async function readHistoryPage(
  ctx: StoreContext,
  runUuid: string,
  key: string,
  maxResults: number | undefined,
  pageToken: string | undefined,
): Promise<PageSlice | undefined> {
  const cursor = decodeCursor(pageToken)
  const [ids, kid] = await Promise.all([runIds(ctx, [runUuid]), keyId(ctx, key)])
  const runId = ids.get(runUuid)
  if (runId === undefined || kid === undefined) return undefined
  const latest = await ctx.db
    .selectFrom('latest_metrics')
    .select('ordered')
    .where('run_id', '=', runId)
    .where('key_id', '=', kid)
    .executeTakeFirst()
  const mode = cursor?.m ?? (latest?.ordered === 0 ? 't' : 's')
  const limit = maxResults && maxResults > 0 ? maxResults : undefined
  let p: Points
  if (mode === 's') {
    const first = cursor ? blockOfStep(cursor.k[0]) : undefined
    const last = limit === undefined ? undefined : await endBlock(ctx, runId, kid, first, limit + 1)
    p = await readBlocks(ctx, ctx.db, runId, kid, first, last)
  } else {
    // The whole series, less what earlier pages answered, sorted by time.
    const all = await readBlocks(ctx, ctx.db, runId, kid)
    const rest: number[] = []
    if (cursor) for (let i = 0; i < all.length; i++) if (afterCursor(all, i, cursor)) rest.push(i)
    const after = cursor ? pick(all, rest) : all
    // One page and whether another follows: the first limit + 1 by time, no full sort.
    p = limit === undefined ? sortByTime(after) : firstByTime(after, limit + 1)
  }
  let from = 0
  if (cursor) {
    // Binary search: the page order is p's order.
    let hi = p.length
    while (from < hi) {
      const mid = (from + hi) >>> 1
      if (afterCursor(p, mid, cursor)) hi = mid
      else from = mid + 1
    }
  }
  const to = limit === undefined ? p.length : Math.min(p.length, from + limit)
  return { p, from, to, more: to < p.length, mode }
}

function nextToken(page: PageSlice): string | undefined {
  if (!page.more || page.to === page.from) return undefined
  const { p, to, mode } = page
  const v = p.value[to - 1] as number
  const nan = v !== v
  const last: Row = [p.step[to - 1] as number, p.timestamp[to - 1] as number, nan ? 0 : v, nan ? 1 : 0]
  const k = mode === 's' ? last : [last[1], last[0], last[2], last[3]]
  return encodePageToken({ m: mode, k: k.map((x) => (Number.isFinite(x) ? x : String(x))) })
}

/** One page of a metric's history as Metric objects. */
export async function getMetricHistory(
  ctx: StoreContext,
  runUuid: string,
  key: string,
  maxResults: number | undefined,
  pageToken: string | undefined,
): Promise<Page<Metric>> {
  const page = await readHistoryPage(ctx, runUuid, key, maxResults, pageToken)
  if (!page) return { items: [] }
  const { p, from, to } = page
  const items = new Array<Metric>(to - from)
  for (let i = from; i < to; i++) items[i - from] = { key, value: p.value[i] as number, timestamp: p.timestamp[i] as number, step: p.step[i] as number }
  return { items, nextPageToken: nextToken(page) }
}

/**
 * One page of a metric's history as a ready JSON array, written straight from the points' columns
 * with MLflow's conventions (no object per point).
 */
export async function getMetricHistoryJson(
  ctx: StoreContext,
  runUuid: string,
  key: string,
  maxResults: number | undefined,
  pageToken: string | undefined,
): Promise<{ metricsJson: string; nextPageToken?: string }> {
  const page = await readHistoryPage(ctx, runUuid, key, maxResults, pageToken)
  if (!page || page.to === page.from) return { metricsJson: '[]' }
  const { p, from, to } = page
  const head = `{"key":${JSON.stringify(key)},"value":`
  const parts = new Array<string>(to - from)
  for (let i = from; i < to; i++) {
    parts[i - from] = `${head}${encodeDouble(p.value[i] as number)},"timestamp":${p.timestamp[i] as number},"step":${p.step[i] as number}}`
  }
  return { metricsJson: `[${parts.join(',')}]`, nextPageToken: nextToken(page) }
}

/**
 * Points of several runs at sampled steps: all steps when they fit in maxResults, otherwise
 * maxResults evenly spaced step targets found by index seeks, plus the first and last step.
 */
export async function getMetricHistoryBulkInterval(
  ctx: StoreContext,
  runUuids: string[],
  key: string,
  maxResults: number,
  range?: { start: number; end: number },
): Promise<RunMetric[]> {
  const [ids, kid] = await Promise.all([runIds(ctx, runUuids), keyId(ctx, key)])
  if (kid === undefined) return []
  const out: RunMetric[] = []
  for (const uuid of runUuids) {
    const runId = ids.get(uuid)
    if (runId === undefined) continue
    const p = await readPoints(ctx, runId, kid, range?.start, range?.end)
    if (p.length === 0) continue
    const lo = p.step[0] as number
    const hi = p.step[p.length - 1] as number
    // Every point of the picked steps: all steps when the points fit, else maxResults evenly spaced
    // step targets (each the first stored step at or after it) plus the first and last step.
    let take = (_step: number) => true
    if (p.length > maxResults && hi > lo) {
      const picked = new Set<number>([lo, hi])
      for (let i = 1; i < maxResults - 1 && picked.size < maxResults; i++) {
        const target = lo + Math.floor((i * (hi - lo)) / (maxResults - 1))
        const at = lowerStep(p, target)
        if (at < p.length) picked.add(p.step[at] as number)
      }
      take = (step) => picked.has(step)
    }
    for (let i = 0; i < p.length; i++) {
      const step = p.step[i] as number
      if (take(step)) out.push({ key, value: p.value[i] as number, timestamp: p.timestamp[i] as number, step, run_id: uuid })
    }
  }
  return out
}
