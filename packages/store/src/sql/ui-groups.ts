import { sql, type RawBuilder } from 'kysely'
import type { RunGroup, RunGroupsQuery } from '../ui-queries.ts'
import type { StoreContext } from './context.ts'
import { compileScope, metricKeyIds } from './ui-run-scope.ts'

/** At most this many groups, the largest first (UI-API.md). */
export const MAX_GROUPS = 1000

type GroupRow = Record<string, number | string | null>

/**
 * runs/groups: one pass over the matching runs joined to the group's param or tag and to each
 * metric's latest row; aggregates skip NaN latest values.
 */
export async function runGroups(ctx: StoreContext, q: RunGroupsQuery): Promise<RunGroup[]> {
  const { where } = await compileScope(ctx, q)
  const metrics = [...new Set(q.metrics)]
  const ids = await metricKeyIds(ctx, metrics)
  const table = sql.table(q.groupBy.entity === 'param' ? 'params' : 'tags')
  const joins: RawBuilder<unknown>[] = [sql`left join ${table} g on g.run_id = r.id and g.key = ${q.groupBy.key}`]
  const selects: RawBuilder<unknown>[] = [sql`g.value as gv`, sql`count(*) as n`]
  metrics.forEach((_, i) => {
    const m = sql.raw(`m${i}`)
    joins.push(sql`left join latest_metrics ${m} on ${m}.run_id = r.id and ${m}.key_id = ${ids.get(metrics[i] as string) ?? -1}`)
    const v = sql`case when ${m}.is_nan = 0 then ${m}.value end`
    selects.push(
      sql`count(${v}) as ${sql.raw(`c${i}`)}`,
      sql`avg(${v}) as ${sql.raw(`a${i}`)}`,
      sql`min(${v}) as ${sql.raw(`lo${i}`)}`,
      sql`max(${v}) as ${sql.raw(`hi${i}`)}`,
    )
  })
  const { rows } = await sql<GroupRow>`select ${sql.join(selects)} from runs r ${sql.join(joins, sql` `)}
    where ${where} group by g.value
    order by count(*) desc, case when g.value is null then 1 else 0 end, g.value
    limit ${MAX_GROUPS}`.execute(ctx.db)
  return rows.map((row) => {
    const group: RunGroup = { value: row.gv === null ? null : String(row.gv), count: Number(row.n), metrics: {} }
    metrics.forEach((key, i) => {
      if (Number(row[`c${i}`]) === 0) return
      group.metrics[key] = { mean: Number(row[`a${i}`]), min: Number(row[`lo${i}`]), max: Number(row[`hi${i}`]) }
    })
    return group
  })
}
