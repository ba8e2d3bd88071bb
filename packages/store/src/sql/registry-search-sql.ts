import { sql, type RawBuilder, type SqlBool } from 'kysely'
import {
  TAG_IS_PROMPT,
  invalidParam,
  type Comparison,
  type FilterExpr,
  type OrderTerm,
} from '@logbook/core'
import type { DialectAdapter } from '../dialect/dialect-adapter.ts'
import { compareColumn, compileFilter } from './filter-sql.ts'
import { STAGE_DELETED } from './registry-loader.ts'

type Condition = RawBuilder<SqlBool>

function comparisons(expr: FilterExpr | undefined): Comparison[] {
  if (expr === undefined) return []
  return expr.kind === 'cmp' ? [expr] : expr.items.flatMap(comparisons)
}

/**
 * Registry searches leave prompts out unless the filter asks for them with
 * ``tags.`mlflow.prompt.is_prompt` = 'true'`` (or `!= 'false'`), as MLflow does.
 */
export function isQueryingPrompts(filter: FilterExpr | undefined): boolean {
  return comparisons(filter).some(
    (c) =>
      c.entity === 'tag' &&
      c.key === TAG_IS_PROMPT &&
      typeof c.value === 'string' &&
      ((c.op === '=' && c.value.toLowerCase() === 'true') ||
        (c.op === '!=' && c.value.toLowerCase() === 'false')),
  )
}

const ALWAYS = sql<SqlBool>`1 = 1`

/** WHERE clause of registered-models/search over alias `rm`, prompts excluded unless asked for. */
export function compileRegisteredModelWhere(
  adapter: DialectAdapter,
  filter: FilterExpr | undefined,
): Condition {
  const prompts = isQueryingPrompts(filter)
  const parts: Condition[] = []
  if (!prompts) {
    parts.push(sql<SqlBool>`not exists (select 1 from registered_model_tags p
      where p.registered_model_id = rm.id and p.key = ${TAG_IS_PROMPT} and p.value = 'true')`)
  }
  if (filter) {
    parts.push(
      compileFilter(filter, (c) => {
        if (c.entity === 'attribute' && c.key === 'name')
          return compareColumn(adapter, sql.ref('rm.name'), c.op, c.value)
        if (c.entity !== 'tag') throw invalidParam(`Invalid attribute key '${c.key}'`)
        // Outside a prompt query the prompt-tag test is implied by the exclusion above.
        if (c.key === TAG_IS_PROMPT && !prompts) return ALWAYS
        const cond = compareColumn(adapter, sql.ref('t.value'), c.op, c.value)
        return sql<SqlBool>`exists (select 1 from registered_model_tags t
          where t.registered_model_id = rm.id and t.key = ${c.key} and ${cond})`
      }),
    )
  }
  return parts.length === 0 ? ALWAYS : sql<SqlBool>`${sql.join(parts, sql` and `)}`
}

const VERSION_COLUMNS: Record<string, string> = {
  name: 'rm.name',
  run_id: 'mv.run_id',
  source_path: 'mv.source',
  version_number: 'mv.version',
  creation_timestamp: 'mv.creation_time',
  last_updated_timestamp: 'mv.last_updated_time',
}

/** WHERE clause of model-versions/search over `mv` joined to `rm`; deleted versions never match. */
export function compileModelVersionWhere(
  adapter: DialectAdapter,
  filter: FilterExpr | undefined,
): Condition {
  const prompts = isQueryingPrompts(filter)
  const parts: Condition[] = [sql<SqlBool>`mv.current_stage <> ${STAGE_DELETED}`]
  if (!prompts) {
    parts.push(sql<SqlBool>`not exists (select 1 from registered_model_tags p
      where p.registered_model_id = mv.registered_model_id and p.key = ${TAG_IS_PROMPT} and p.value = 'true')`)
    parts.push(sql<SqlBool>`not exists (select 1 from model_version_tags p
      where p.registered_model_id = mv.registered_model_id and p.key = ${TAG_IS_PROMPT} and p.value = 'true')`)
  }
  if (filter) {
    parts.push(
      compileFilter(filter, (c) => {
        if (c.entity === 'tag') {
          if (c.key === TAG_IS_PROMPT && !prompts) return ALWAYS
          const cond = compareColumn(adapter, sql.ref('t.value'), c.op, c.value)
          return sql<SqlBool>`exists (select 1 from model_version_tags t where t.registered_model_id = mv.registered_model_id
            and t.version = mv.version and t.key = ${c.key} and ${cond})`
        }
        const column = VERSION_COLUMNS[c.key]
        if (c.entity !== 'attribute' || column === undefined)
          throw invalidParam(`Invalid attribute key '${c.key}'`)
        return compareColumn(adapter, sql.ref(column), c.op, c.value)
      }),
    )
  }
  return sql<SqlBool>`${sql.join(parts, sql` and `)}`
}

const direction = (ascending: boolean) => sql.raw(ascending ? 'asc' : 'desc')

/** ORDER BY of registered-models/search; `name ASC` is the tie-breaker. */
export function registeredModelOrder(terms: OrderTerm[]): RawBuilder<unknown>[] {
  const out = terms.map((t) => {
    if (t.key === 'name') return sql`rm.name ${direction(t.ascending)}`
    if (t.key === 'last_updated_timestamp')
      return sql`rm.last_updated_time ${direction(t.ascending)}`
    throw invalidParam(`Invalid order by key '${t.key}' specified.`)
  })
  if (!terms.some((t) => t.key === 'name')) out.push(sql`rm.name asc`)
  return out
}

/** Default order of model-versions/search, MLflow's. */
const DEFAULT_VERSION_ORDER: OrderTerm[] = [
  { entity: 'attribute', key: 'last_updated_timestamp', ascending: false },
  { entity: 'attribute', key: 'name', ascending: true },
  { entity: 'attribute', key: 'version_number', ascending: false },
]

/** ORDER BY of model-versions/search; `name ASC, version DESC` are appended when missing. */
export function modelVersionOrder(terms: OrderTerm[]): RawBuilder<unknown>[] {
  const list = terms.length > 0 ? terms : DEFAULT_VERSION_ORDER
  const out = list.map((t) => {
    const column = VERSION_COLUMNS[t.key]
    if (column === undefined || t.key === 'run_id' || t.key === 'source_path') {
      throw invalidParam(`Invalid order by key '${t.key}' specified.`)
    }
    return sql`${sql.ref(column)} ${direction(t.ascending)}`
  })
  if (!list.some((t) => t.key === 'name')) out.push(sql`rm.name asc`)
  if (!list.some((t) => t.key === 'version_number')) out.push(sql`mv.version desc`)
  return out
}
