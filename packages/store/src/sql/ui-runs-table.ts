import { sql, type RawBuilder, type SqlBool } from 'kysely'
import { TAG_PARENT_RUN_ID } from '@logbook/core'
import type { RunTableColumns, RunTablePage, RunTableQuery, RunTableRow } from '../ui-queries.ts'
import { chunks, type StoreContext } from './context.ts'
import { decodeOffset, offsetPage } from './paging.ts'
import type { RunRow } from './run-loader.ts'
import { compileRunOrder } from './run-search-sql.ts'
import { compileScope, metricKeyIds, scopeWhere, viewCondition } from './ui-run-scope.ts'

/**
 * runs/table: the search-runs filter and order (plus min/max metric terms and parents-only), a
 * count of all matches, and only the asked-for columns of the page's runs.
 */
export async function runsTable(ctx: StoreContext, q: RunTableQuery): Promise<RunTablePage> {
  const offset = decodeOffset(q.pageToken)
  const { where, keyIds } = await compileScope(ctx, q, q.orderBy)
  const { joins, order } = compileRunOrder(q.orderBy, keyIds)
  const general = () =>
    sql<RunRow>`select r.* from runs r ${joins.length > 0 ? sql.join(joins, sql` `) : sql``}
      where ${where} order by ${sql.join(order)} limit ${q.maxResults + 1} offset ${offset}`.execute(ctx.db)
  const [byIndex, counted] = await Promise.all([
    metricOrderByIndex(ctx, q, where, keyIds, offset),
    countRuns(ctx, q, where, keyIds),
  ])
  const rows = byIndex ?? (await general()).rows
  const { page, nextPageToken } = offsetPage(rows, q.maxResults, offset)
  return { runs: await hydrate(ctx, page, q), nextPageToken, total: counted }
}

/**
 * Sorting the whole experiment by one metric (no filter): walk the (key_id, value) index in order and
 * stop at the page, instead of joining every run and sorting them all (2 ms instead of ~300 ms at
 * 100,000 runs). Only the runs with a non-NaN value come this way, which is where the order starts;
 * when they do not fill the page, undefined sends the caller to the general query (NaN, then missing).
 * A filter may be selective enough that walking the index reads most of it, so filtered queries keep
 * the general plan. CROSS JOIN makes SQLite keep latest_metrics as the outer loop.
 */
async function metricOrderByIndex(
  ctx: StoreContext,
  q: RunTableQuery,
  where: RawBuilder<SqlBool>,
  keyIds: Map<string, number>,
  offset: number,
): Promise<RunRow[] | undefined> {
  const [term, ...rest] = q.orderBy
  if (!term || rest.length > 0 || term.entity !== 'metric' || term.aggregate || q.filter) return undefined
  const keyId = keyIds.get(term.key)
  if (keyId === undefined) return undefined
  const dir = sql.raw(term.ascending ? 'asc' : 'desc')
  const { rows } = await sql<RunRow>`select r.* from latest_metrics o0 cross join runs r
    where r.id = o0.run_id and o0.key_id = ${keyId} and o0.is_nan = 0 and ${where}
    order by o0.value ${dir}, r.start_time desc, r.run_uuid asc limit ${q.maxResults + 1} offset ${offset}`.execute(ctx.db)
  return rows.length > q.maxResults ? rows : undefined
}

/**
 * Runs in scope. Parents only: all runs minus those with a parent tag, read from the (key, value)
 * index of tags, instead of a NOT EXISTS probe per run (90 -> ~35 ms at 100,000 runs).
 */
async function countRuns(
  ctx: StoreContext,
  q: RunTableQuery,
  where: RawBuilder<SqlBool>,
  keyIds: Map<string, number>,
): Promise<number> {
  if (!q.parentsOnly) {
    const { rows } = await sql<{ n: number | string }>`select count(*) as n from runs r where ${where}`.execute(ctx.db)
    return Number(rows[0]?.n ?? 0)
  }
  const all = scopeWhere(ctx, { ...q, parentsOnly: false }, keyIds)
  const [total, children] = await Promise.all([
    sql<{ n: number | string }>`select count(*) as n from runs r where ${all}`.execute(ctx.db),
    sql<{ n: number | string }>`select count(*) as n from tags pt cross join runs r
      where pt.key = ${TAG_PARENT_RUN_ID} and r.id = pt.run_id and ${all}`.execute(ctx.db),
  ])
  return Number(total.rows[0]?.n ?? 0) - Number(children.rows[0]?.n ?? 0)
}

function baseRow(r: RunRow): RunTableRow {
  return {
    run_id: r.run_uuid,
    run_name: r.name,
    experiment_id: String(r.experiment_id),
    status: r.status,
    start_time: r.start_time,
    end_time: r.end_time,
    lifecycle_stage: r.lifecycle_stage,
    user_id: r.user_id,
    parent_run_id: null,
    child_count: 0,
    params: {},
    tags: {},
    metrics: {},
  }
}

/** Fill the page's rows: parent, child count and the requested columns, a few IN queries per 500 runs. */
async function hydrate(ctx: StoreContext, page: RunRow[], q: RunTableQuery): Promise<RunTableRow[]> {
  const byId = new Map<number, RunTableRow>(page.map((r) => [r.id, baseRow(r)]))
  const byUuid = new Map<string, RunTableRow>()
  for (const row of byId.values()) byUuid.set(row.run_id, row)
  const cols: RunTableColumns = q.columns
  const metricIds = await metricKeyIds(ctx, cols.metrics)
  const keyNames = new Map([...metricIds].map(([k, id]) => [id, k]))
  const tagKeys = [...new Set([...cols.tags, TAG_PARENT_RUN_ID])]
  for (const ids of chunks([...byId.keys()])) {
    const uuids = ids.map((id) => byId.get(id)?.run_id as string)
    const [params, tags, metrics, children] = await Promise.all([
      cols.params.length === 0
        ? []
        : ctx.db.selectFrom('params').select(['run_id', 'key', 'value'])
            .where('run_id', 'in', ids).where('key', 'in', cols.params).execute(),
      ctx.db.selectFrom('tags').select(['run_id', 'key', 'value'])
        .where('run_id', 'in', ids).where('key', 'in', tagKeys).execute(),
      metricIds.size === 0
        ? []
        : ctx.db.selectFrom('latest_metrics').selectAll()
            .where('run_id', 'in', ids).where('key_id', 'in', [...metricIds.values()]).execute(),
      sql<{ parent: string; n: number | string }>`select t.value as parent, count(*) as n from tags t
        join runs r on r.id = t.run_id
        where t.key = ${TAG_PARENT_RUN_ID} and t.value in (${sql.join(uuids)}) and ${viewCondition(q.viewType)}
        group by t.value`.execute(ctx.db),
    ])
    for (const p of params) {
      const row = byId.get(p.run_id)
      if (row) row.params[p.key] = p.value
    }
    for (const t of tags) {
      const row = byId.get(t.run_id)
      if (!row) continue
      if (t.key === TAG_PARENT_RUN_ID) row.parent_run_id = t.value
      if (cols.tags.includes(t.key)) row.tags[t.key] = t.value
    }
    for (const m of metrics) {
      const row = byId.get(m.run_id)
      const key = keyNames.get(m.key_id)
      if (!row || key === undefined) continue
      row.metrics[key] = {
        last: m.is_nan ? Number.NaN : m.value,
        min: m.min_value ?? Number.NaN,
        max: m.max_value ?? Number.NaN,
        step: m.step,
        timestamp: m.timestamp,
      }
    }
    for (const c of children.rows) {
      const row = byUuid.get(c.parent)
      if (row) row.child_count = Number(c.n)
    }
  }
  return [...byId.values()]
}
