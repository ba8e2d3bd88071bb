import { sql, type RawBuilder, type SqlBool } from 'kysely'
import { invalidParam, type FilterExpr, type OrderTerm } from '@logbook/core'
import type { DialectAdapter } from '../dialect/dialect-adapter.ts'
import { compareColumn, compileFilter } from './filter-sql.ts'

const COLUMNS: Record<string, string> = {
  name: 'e.name',
  experiment_id: 'e.experiment_id',
  creation_time: 'e.creation_time',
  last_update_time: 'e.last_update_time',
}

/** WHERE clause of experiments/search over alias `e`. */
export function compileExperimentFilter(adapter: DialectAdapter, filter: FilterExpr): RawBuilder<SqlBool> {
  return compileFilter(filter, (c) => {
    if (c.entity === 'tag') {
      if (c.op === 'IS NULL' || c.op === 'IS NOT NULL') {
        const exists = sql<SqlBool>`exists (select 1 from experiment_tags t where t.experiment_id = e.experiment_id and t.key = ${c.key})`
        return c.op === 'IS NULL' ? sql<SqlBool>`not ${exists}` : exists
      }
      const cond = compareColumn(adapter, sql.ref('t.value'), c.op, c.value)
      return sql<SqlBool>`exists (select 1 from experiment_tags t where t.experiment_id = e.experiment_id and t.key = ${c.key} and ${cond})`
    }
    const column = COLUMNS[c.key]
    if (c.entity !== 'attribute' || !column) throw invalidParam(`Invalid attribute key '${c.key}'`)
    return compareColumn(adapter, sql.ref(column), c.op, c.value)
  })
}

/** ORDER BY terms with MLflow's defaults and tie-breaker. */
export function experimentOrderBy(terms: OrderTerm[]): RawBuilder<unknown>[] {
  const out: RawBuilder<unknown>[] = []
  const list = terms.length > 0 ? terms : [{ entity: 'attribute' as const, key: 'creation_time', ascending: false }]
  for (const t of list) {
    const column = COLUMNS[t.key]
    if (!column) throw invalidParam(`Invalid order_by key '${t.key}'`)
    out.push(sql`${sql.ref(column)} ${sql.raw(t.ascending ? 'asc' : 'desc')}`)
  }
  if (!list.some((t) => t.key === 'experiment_id')) out.push(sql`e.experiment_id asc`)
  return out
}
