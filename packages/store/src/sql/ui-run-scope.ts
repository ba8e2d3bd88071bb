import { sql, type RawBuilder, type SqlBool } from 'kysely'
import { TAG_PARENT_RUN_ID, parseExperimentId, type FilterExpr, type OrderTerm, type ViewType } from '@logbook/core'
import type { StoreContext } from './context.ts'
import { compileRunFilter, filterMetricKeys } from './run-search-sql.ts'

/** Which runs a UI query covers: experiments, lifecycle view and a search filter. */
export interface RunScope {
  experimentIds: string[]
  viewType: ViewType
  filter?: FilterExpr
  parentsOnly?: boolean
}

/** Metric key -> id for the given keys (unknown keys are left out). */
export async function metricKeyIds(ctx: StoreContext, keys: Iterable<string>): Promise<Map<string, number>> {
  const list = [...new Set(keys)]
  const out = new Map<string, number>()
  if (list.length === 0) return out
  const rows = await ctx.db.selectFrom('metric_keys').select(['id', 'key']).where('key', 'in', list).execute()
  for (const r of rows) out.set(r.key, r.id)
  return out
}

/** SQL for the lifecycle stages a view type covers, over alias `alias`. */
export function viewCondition(viewType: ViewType, alias = 'r'): RawBuilder<SqlBool> {
  const column = sql.ref(`${alias}.lifecycle_stage`)
  if (viewType === 'ACTIVE_ONLY') return sql<SqlBool>`${column} = 'active'`
  if (viewType === 'DELETED_ONLY') return sql<SqlBool>`${column} = 'deleted'`
  return sql<SqlBool>`1 = 1`
}

/**
 * The WHERE clause over alias `r` for a scope, through the search-runs filter compiler, and the
 * metric key ids it and `extraMetricKeys` (order terms, columns) need.
 */
export async function compileScope(
  ctx: StoreContext,
  scope: RunScope,
  orderBy: OrderTerm[] = [],
): Promise<{ where: RawBuilder<SqlBool>; keyIds: Map<string, number> }> {
  const keys = filterMetricKeys(scope.filter)
  for (const t of orderBy) if (t.entity === 'metric') keys.add(t.key)
  const keyIds = await metricKeyIds(ctx, keys)
  return { where: scopeWhere(ctx, scope, keyIds), keyIds }
}

/** The WHERE clause over alias `r` for a scope, given the metric key ids its filter needs. */
export function scopeWhere(ctx: StoreContext, scope: RunScope, keyIds: Map<string, number>): RawBuilder<SqlBool> {
  const ids = scope.experimentIds.map(parseExperimentId)
  const where: RawBuilder<SqlBool>[] = [
    sql<SqlBool>`r.experiment_id in (${sql.join(ids)})`,
    viewCondition(scope.viewType),
  ]
  if (scope.filter) where.push(compileRunFilter(ctx.adapter, scope.filter, keyIds))
  if (scope.parentsOnly) {
    where.push(sql<SqlBool>`not exists (select 1 from tags pt where pt.run_id = r.id and pt.key = ${TAG_PARENT_RUN_ID})`)
  }
  return sql<SqlBool>`${sql.join(where, sql` and `)}`
}
