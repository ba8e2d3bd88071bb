import { invalidParam, decodePageToken, encodePageToken, type Metric, type Page } from '@logbook/core'
import type { RunMetric } from '../tracking-store.ts'
import type { StoreContext } from './context.ts'

/** Keyset position: mode `s` = (step, timestamp, value, is_nan), `t` = (timestamp, step, value, is_nan). */
interface Cursor {
  m: 's' | 't'
  k: [number, number, number, number]
}

function decodeCursor(token: string | undefined): Cursor | undefined {
  if (token === undefined || token === '') return undefined
  const c = decodePageToken(token)
  const k = c?.k
  if (!c || (c.m !== 's' && c.m !== 't') || !Array.isArray(k) || k.length !== 4 || !k.every((x) => typeof x === 'number')) {
    throw invalidParam(`Invalid page token: '${token.slice(0, 100)}'`)
  }
  return c as unknown as Cursor
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

/**
 * Full history of one metric in MLflow's order (timestamp, step, value), paged by a keyset cursor.
 * While a series' timestamps rise with its steps (the `ordered` flag), that order equals the primary
 * key's (step, timestamp, value) and every page is one index range scan; otherwise the database
 * sorts the series by timestamp. Unknown run or key: empty.
 */
export async function getMetricHistory(
  ctx: StoreContext,
  runUuid: string,
  key: string,
  maxResults: number | undefined,
  pageToken: string | undefined,
): Promise<Page<Metric>> {
  const cursor = decodeCursor(pageToken)
  const [ids, kid] = await Promise.all([runIds(ctx, [runUuid]), keyId(ctx, key)])
  const runId = ids.get(runUuid)
  if (runId === undefined || kid === undefined) return { items: [] }
  const latest = await ctx.db
    .selectFrom('latest_metrics')
    .select('ordered')
    .where('run_id', '=', runId)
    .where('key_id', '=', kid)
    .executeTakeFirst()
  const mode = cursor?.m ?? (latest?.ordered === 0 ? 't' : 's')
  const cols = mode === 's' ? (['step', 'timestamp', 'value', 'is_nan'] as const) : (['timestamp', 'step', 'value', 'is_nan'] as const)
  const limit = maxResults && maxResults > 0 ? maxResults : undefined
  let q = ctx.db
    .selectFrom('metrics')
    .select(['step', 'timestamp', 'value', 'is_nan'])
    .where('run_id', '=', runId)
    .where('key_id', '=', kid)
  if (cursor) {
    const [a, b, c, d] = cols
    const [va, vb, vc, vd] = cursor.k
    q = q.where((eb) => eb(eb.refTuple(a, b, c, d), '>', eb.tuple(va, vb, vc, vd)))
  }
  for (const c of cols) q = q.orderBy(c)
  const rows = await (limit ? q.limit(limit + 1) : q).execute()
  const page = limit ? rows.slice(0, limit) : rows
  const last = page[page.length - 1]
  return {
    items: page.map((r) => ({ key, value: r.is_nan ? Number.NaN : r.value, timestamp: r.timestamp, step: r.step })),
    nextPageToken:
      limit && rows.length > limit && last
        ? encodePageToken({ m: mode, k: cols.map((c) => last[c]) })
        : undefined,
  }
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
    let base = ctx.db.selectFrom('metrics').where('run_id', '=', runId).where('key_id', '=', kid)
    if (range) base = base.where('step', '>=', range.start).where('step', '<=', range.end)
    const bounds = await base
      .select((eb) => [eb.fn.min('step').as('lo'), eb.fn.max('step').as('hi'), eb.fn.countAll().as('n')])
      .executeTakeFirst()
    if (!bounds || bounds.lo === null || bounds.hi === null) continue
    const lo = Number(bounds.lo)
    const hi = Number(bounds.hi)
    let steps: number[] | undefined
    if (Number(bounds.n) > maxResults && hi > lo) {
      const picked = new Set<number>([lo, hi])
      for (let i = 1; i < maxResults - 1 && picked.size < maxResults; i++) {
        const target = lo + Math.floor((i * (hi - lo)) / (maxResults - 1))
        const row = await base.select('step').where('step', '>=', target).orderBy('step').limit(1).executeTakeFirst()
        if (row) picked.add(row.step)
      }
      steps = [...picked].sort((a, b) => a - b)
    }
    let q = base.select(['step', 'timestamp', 'value', 'is_nan'])
    if (steps) q = q.where('step', 'in', steps)
    const rows = await q.orderBy('step').orderBy('timestamp').orderBy('value').execute()
    for (const r of rows) {
      out.push({ key, value: r.is_nan ? Number.NaN : r.value, timestamp: r.timestamp, step: r.step, run_id: uuid })
    }
  }
  return out
}
