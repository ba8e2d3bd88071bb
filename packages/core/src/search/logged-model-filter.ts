import { invalidParam } from '../errors.ts'
import type { Entity, FilterExpr } from './ast.ts'
import {
  keySpec,
  LIST_COMPARATORS,
  NUMERIC_COMPARATORS,
  parseFilterExpression,
  STRING_COMPARATORS,
} from './filter-parser.ts'
import type { KeyResolver } from './filter-parser.ts'
import { resolveEntity, unknownAttributeError } from './identifier.ts'

/** Entity prefixes of logged-model filters (MLflow's plural forms plus the usual singular aliases). */
const PREFIXES: ReadonlyMap<string, Entity> = new Map<string, Entity>([
  ['attributes', 'attribute'],
  ['attribute', 'attribute'],
  ['attr', 'attribute'],
  ['metrics', 'metric'],
  ['metric', 'metric'],
  ['params', 'param'],
  ['param', 'param'],
  ['tags', 'tag'],
  ['tag', 'tag'],
])

/** Logged-model attributes compared as strings. */
export const LOGGED_MODEL_STRING_ATTRIBUTES = [
  'name',
  'model_id',
  'model_type',
  'status',
  'source_run_id',
] as const
/** Logged-model attributes compared as numbers (milliseconds). */
export const LOGGED_MODEL_NUMERIC_ATTRIBUTES = [
  'creation_timestamp',
  'last_updated_timestamp',
] as const

/** MLflow's column aliases, to the canonical wire names above. */
const ATTRIBUTE_ALIASES: ReadonlyMap<string, string> = new Map([
  ['creation_time', 'creation_timestamp'],
  ['creation_timestamp_ms', 'creation_timestamp'],
  ['last_updated_timestamp_ms', 'last_updated_timestamp'],
])

const STRING_ATTRIBUTES: readonly string[] = LOGGED_MODEL_STRING_ATTRIBUTES
const NUMERIC_ATTRIBUTES: readonly string[] = LOGGED_MODEL_NUMERIC_ATTRIBUTES
const ORDERABLE: readonly string[] = [...STRING_ATTRIBUTES, ...NUMERIC_ATTRIBUTES, 'experiment_id']
const STRING_OPS = [...STRING_COMPARATORS, ...LIST_COMPARATORS]

const resolveLoggedModelKey: KeyResolver = (ref, stream) => {
  const { entity, key } = resolveEntity(ref, PREFIXES, stream)
  switch (entity) {
    case 'metric':
      return keySpec(entity, key, `metric '${key}'`, NUMERIC_COMPARATORS, 'number')
    case 'param':
    case 'tag':
      return keySpec(entity, key, `${entity} '${key}'`, STRING_OPS, 'string')
    default: {
      const canonical = ATTRIBUTE_ALIASES.get(key) ?? key
      const label = `attribute '${canonical}'`
      if (NUMERIC_ATTRIBUTES.includes(canonical)) {
        return keySpec('attribute', canonical, label, NUMERIC_COMPARATORS, 'number')
      }
      if (STRING_ATTRIBUTES.includes(canonical)) {
        return keySpec('attribute', canonical, label, STRING_OPS, 'string')
      }
      throw unknownAttributeError(stream, ref.token, key, [
        ...STRING_ATTRIBUTES,
        ...NUMERIC_ATTRIBUTES,
      ])
    }
  }
}

/**
 * Parses a search_logged_models filter such as `name = 'model' AND metrics.acc > 0.9`
 * (OR and parentheses are a Logbook extension); undefined for an empty filter.
 */
export function parseLoggedModelFilter(filter: string | undefined): FilterExpr | undefined {
  return parseFilterExpression(filter, resolveLoggedModelKey)
}

/** One structured order_by entry of logged-model search, as sent on the wire. */
export interface LoggedModelOrderByIn {
  field_name: string
  ascending?: boolean
  dataset_name?: string
  dataset_digest?: string
}

/** A validated logged-model order term: an attribute, or the latest value of a metric. */
export interface LoggedModelOrderTerm {
  entity: 'attribute' | 'metric'
  key: string
  ascending: boolean
  datasetName?: string
  datasetDigest?: string
}

/** Validates structured order_by entries: attribute names (with MLflow's aliases) or `metrics.<name>`. */
export function parseLoggedModelOrderBy(
  orderBy: readonly LoggedModelOrderByIn[] | undefined,
): LoggedModelOrderTerm[] {
  const terms: LoggedModelOrderTerm[] = []
  for (const ob of orderBy ?? []) {
    const field = ob.field_name
    const ascending = ob.ascending ?? true
    const dot = field.indexOf('.')
    if (dot < 0) {
      const key = ATTRIBUTE_ALIASES.get(field) ?? field
      if (!ORDERABLE.includes(key)) {
        throw invalidParam(
          `Invalid order by field name: ${field}. Valid attributes are: ${ORDERABLE.join(', ')}`,
        )
      }
      terms.push({ entity: 'attribute', key, ascending })
      continue
    }
    const entity = field.slice(0, dot)
    const key = field.slice(dot + 1).replace(/^`(.*)`$/s, '$1')
    if ((entity !== 'metrics' && entity !== 'metric') || key === '') {
      throw invalidParam(`Invalid order by field name: ${field}. Only metrics are supported.`)
    }
    terms.push({
      entity: 'metric',
      key,
      ascending,
      ...(ob.dataset_name ? { datasetName: ob.dataset_name } : {}),
      ...(ob.dataset_digest ? { datasetDigest: ob.dataset_digest } : {}),
    })
  }
  return terms
}
