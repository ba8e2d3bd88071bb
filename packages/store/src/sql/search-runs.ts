import { sql, type RawBuilder } from 'kysely'
import { parseExperimentId, type Page, type Run } from '@logbook/core'
import type { SearchRunsQuery } from '../tracking-store.ts'
import type { StoreContext } from './context.ts'
import { decodeOffset, offsetPage } from './paging.ts'
import { loadRuns, type RunRow } from './run-loader.ts'
import { compileRunFilter, compileRunOrder, filterMetricKeys } from './run-search-sql.ts'

/** runs/search: filter, order with missing values last, offset page tokens. */
export async function searchRuns(ctx: StoreContext, q: SearchRunsQuery): Promise<Page<Run>> {
  const offset = decodeOffset(q.pageToken)
  const ids = q.experimentIds.map(parseExperimentId)
  if (ids.length === 0) return { items: [] }
  const metricKeys = filterMetricKeys(q.filter)
  for (const t of q.orderBy) if (t.entity === 'metric') metricKeys.add(t.key)
  const keyIds = new Map<string, number>()
  if (metricKeys.size > 0) {
    const rows = await ctx.db.selectFrom('metric_keys').select(['id', 'key']).where('key', 'in', [...metricKeys]).execute()
    for (const r of rows) keyIds.set(r.key, r.id)
  }
  const where: RawBuilder<unknown>[] = [sql`r.experiment_id in (${sql.join(ids)})`]
  if (q.viewType === 'ACTIVE_ONLY') where.push(sql`r.lifecycle_stage = 'active'`)
  else if (q.viewType === 'DELETED_ONLY') where.push(sql`r.lifecycle_stage = 'deleted'`)
  if (q.filter) where.push(compileRunFilter(ctx.adapter, q.filter, keyIds))
  const { joins, order } = compileRunOrder(q.orderBy, keyIds)
  const query = sql<RunRow>`select r.* from runs r ${joins.length > 0 ? sql.join(joins, sql` `) : sql``}
    where ${sql.join(where, sql` and `)}
    order by ${sql.join(order)}
    limit ${q.maxResults + 1} offset ${offset}`
  const { rows } = await query.execute(ctx.db)
  const { page, nextPageToken } = offsetPage(rows, q.maxResults, offset)
  return {
    items: await loadRuns(ctx.db, page),
    nextPageToken,
  }
}
