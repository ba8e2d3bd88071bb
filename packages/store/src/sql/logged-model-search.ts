import { sql, type RawBuilder, type SqlBool } from 'kysely'
import {
  decodePageToken,
  invalidParam,
  parseExperimentId,
  type FilterExpr,
  type LoggedModel,
  type LoggedModelOrderTerm,
  type Page,
} from '@logbook/core'
import type { DialectAdapter } from '../dialect/dialect-adapter.ts'
import type { DatasetFilterIn, SearchLoggedModelsQuery } from '../logged-model-store.ts'
import type { StoreContext } from './context.ts'
import { offsetPage } from './paging.ts'
import { compareColumn, compileFilter } from './filter-sql.ts'
import { loadLoggedModels, type LoggedModelRow } from './logged-models.ts'

type Condition = RawBuilder<SqlBool>

/** Logged-model attribute -> column of alias `lm`. */
const COLUMNS: Record<string, string> = {
  name: 'lm.name',
  model_id: 'lm.model_id',
  model_type: 'lm.model_type',
  status: 'lm.status',
  source_run_id: 'lm.source_run_id',
  experiment_id: 'lm.experiment_id',
  creation_timestamp: 'lm.creation_timestamp_ms',
  last_updated_timestamp: 'lm.last_updated_timestamp_ms',
}

function column(key: string): RawBuilder<unknown> {
  const name = COLUMNS[key]
  if (name === undefined) throw invalidParam(`Invalid attribute key '${key}'`)
  return sql.ref(name)
}

function datasetCondition(datasets: DatasetFilterIn[], alias: string): Condition | undefined {
  if (datasets.length === 0) return undefined
  const a = sql.raw(alias)
  const each = datasets.map((d) =>
    d.datasetDigest === undefined
      ? sql<SqlBool>`${a}.dataset_name = ${d.datasetName}`
      : sql<SqlBool>`(${a}.dataset_name = ${d.datasetName} and ${a}.dataset_digest = ${d.datasetDigest})`,
  )
  return sql<SqlBool>`(${sql.join(each, sql` or `)})`
}

function hasMetricFilter(expr: FilterExpr | undefined): boolean {
  if (expr === undefined) return false
  return expr.kind === 'cmp' ? expr.entity === 'metric' : expr.items.some(hasMetricFilter)
}

/** WHERE clause over alias `lm`: MLflow's semantics, a metric filter matches any logged point. */
function compileWhere(
  adapter: DialectAdapter,
  q: SearchLoggedModelsQuery,
  ids: number[],
): Condition {
  const parts: Condition[] = [
    sql<SqlBool>`lm.experiment_id in (${sql.join(ids)})`,
    sql<SqlBool>`lm.lifecycle_stage <> 'deleted'`,
  ]
  const onDatasets = datasetCondition(q.datasets, 'm')
  if (q.filter) {
    parts.push(
      compileFilter(q.filter, (c) => {
        if (c.entity === 'metric') {
          const cond = compareColumn(adapter, sql.ref('m.value'), c.op, c.value)
          return sql<SqlBool>`exists (select 1 from logged_model_metrics m where m.model_id = lm.id
            and m.key = ${c.key} and m.is_nan = 0 and ${cond}${onDatasets ? sql` and ${onDatasets}` : sql``})`
        }
        if (c.entity === 'param' || c.entity === 'tag') {
          const table = sql.table(
            c.entity === 'param' ? 'logged_model_params' : 'logged_model_tags',
          )
          const cond = compareColumn(adapter, sql.ref('kv.value'), c.op, c.value)
          return sql<SqlBool>`exists (select 1 from ${table} kv where kv.model_id = lm.id and kv.key = ${c.key} and ${cond})`
        }
        return compareColumn(adapter, column(c.key), c.op, c.value)
      }),
    )
  }
  if (onDatasets && !hasMetricFilter(q.filter)) {
    parts.push(
      sql<SqlBool>`exists (select 1 from logged_model_metrics m where m.model_id = lm.id and ${onDatasets})`,
    )
  }
  return sql<SqlBool>`${sql.join(parts, sql` and `)}`
}

/** Joins and ORDER BY: values first (then NaN, then missing) in either direction, MLflow's tie-breakers. */
function compileOrder(terms: LoggedModelOrderTerm[]): {
  joins: RawBuilder<unknown>[]
  order: RawBuilder<unknown>[]
} {
  const joins: RawBuilder<unknown>[] = []
  const order: RawBuilder<unknown>[] = []
  terms.forEach((t, i) => {
    const dir = sql.raw(t.ascending ? 'asc' : 'desc')
    if (t.entity === 'attribute') {
      const col = column(t.key)
      order.push(sql`case when ${col} is null then 1 else 0 end`, sql`${col} ${dir}`)
      return
    }
    const o = sql.raw(`o${i}`)
    const filters = [sql`key = ${t.key}`]
    if (t.datasetName !== undefined) filters.push(sql`dataset_name = ${t.datasetName}`)
    if (t.datasetDigest !== undefined) filters.push(sql`dataset_digest = ${t.datasetDigest}`)
    // The latest point per model: greatest timestamp, then step, then smallest run id (MLflow's order).
    joins.push(sql`left join (select model_id, value, is_nan, row_number() over (partition by model_id
      order by timestamp desc, step desc, run_id asc) as rn from logged_model_metrics
      where ${sql.join(filters, sql` and `)}) ${o} on ${o}.model_id = lm.id and ${o}.rn = 1`)
    order.push(
      sql`case when ${o}.model_id is null then 2 when ${o}.is_nan = 1 then 1 else 0 end`,
      sql`${o}.value ${dir}`,
    )
  })
  if (!terms.some((t) => t.entity === 'attribute' && t.key === 'creation_timestamp')) {
    order.push(sql`lm.creation_timestamp_ms desc`)
  }
  if (!terms.some((t) => t.entity === 'attribute' && t.key === 'model_id'))
    order.push(sql`lm.model_id asc`)
  return { joins, order }
}

/** A short hash of the search parameters, so a page token cannot be replayed against another search. */
function fingerprint(q: SearchLoggedModelsQuery): string {
  const text = JSON.stringify([q.experimentIds, q.filter ?? null, q.datasets, q.orderBy])
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193) >>> 0
  }
  return h.toString(36)
}

function decodeToken(token: string | undefined, expected: string): number {
  if (token === undefined || token === '') return 0
  const payload = decodePageToken(token)
  const offset = payload?.offset
  if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 0) {
    throw invalidParam(
      `Invalid page token, could not base64-decode or parse: '${token.slice(0, 100)}'`,
    )
  }
  if (payload?.search !== expected) {
    throw invalidParam(
      'The page token does not match the experiment_ids, filter, datasets or order_by of this request.',
    )
  }
  return offset
}

/** logged-models/search: active models of the experiments, filtered, ordered and paged. */
export async function searchLoggedModels(
  ctx: StoreContext,
  q: SearchLoggedModelsQuery,
): Promise<Page<LoggedModel>> {
  const search = fingerprint(q)
  const offset = decodeToken(q.pageToken, search)
  const ids = q.experimentIds.map(parseExperimentId)
  if (ids.length === 0) return { items: [] }
  const where = compileWhere(ctx.adapter, q, ids)
  const { joins, order } = compileOrder(q.orderBy)
  const { rows } =
    await sql<LoggedModelRow>`select lm.* from logged_models lm ${joins.length > 0 ? sql.join(joins, sql` `) : sql``}
    where ${where} order by ${sql.join(order)} limit ${q.maxResults + 1} offset ${offset}`.execute(
      ctx.db,
    )
  const { page, nextPageToken } = offsetPage(rows, q.maxResults, offset, { search })
  return { items: await loadLoggedModels(ctx.db, page), nextPageToken }
}
