import type { FilterExpr, OrderTerm } from './ast.ts'
import {
  keySpec,
  LIST_COMPARATORS,
  NUMERIC_COMPARATORS,
  parseFilterExpression,
  STRING_COMPARATORS,
} from './filter-parser.ts'
import type { KeyResolver } from './filter-parser.ts'
import { EXPERIMENT_ENTITY_PREFIXES, resolveEntity, unknownAttributeError } from './identifier.ts'
import { parseOrderByClauses } from './order-by-parser.ts'
import type { OrderKeyResolver } from './order-by-parser.ts'

/** Registry filters take the same prefixes as experiment filters: attribute(s), attr, tag(s). */
const PREFIXES = EXPERIMENT_ENTITY_PREFIXES
const LISTABLE = [...STRING_COMPARATORS, ...LIST_COMPARATORS]

/** Model-version attributes a filter may test, and which of them compare as integers. */
export const MODEL_VERSION_FILTER_ATTRIBUTES = [
  'name',
  'run_id',
  'source_path',
  'version_number',
] as const
/** Model-version attributes order_by accepts. */
export const MODEL_VERSION_ORDER_KEYS = [
  'name',
  'version_number',
  'creation_timestamp',
  'last_updated_timestamp',
] as const
/** Registered-model order_by keys; `timestamp` is MLflow's alias of `last_updated_timestamp`. */
export const REGISTERED_MODEL_ORDER_KEYS = ['name', 'timestamp', 'last_updated_timestamp'] as const

const tagSpec: KeyResolver = (ref) =>
  keySpec('tag', ref.key, `tag '${ref.key}'`, STRING_COMPARATORS, 'string')

const resolveRegisteredModelKey: KeyResolver = (ref, stream) => {
  const { entity, key } = resolveEntity(ref, PREFIXES, stream)
  if (entity === 'tag') return tagSpec({ ...ref, key }, stream)
  if (key === 'name') return keySpec('attribute', key, `attribute '${key}'`, LISTABLE, 'string')
  throw unknownAttributeError(stream, ref.token, key, ['name'])
}

const resolveModelVersionKey: KeyResolver = (ref, stream) => {
  const { entity, key } = resolveEntity(ref, PREFIXES, stream)
  if (entity === 'tag') return tagSpec({ ...ref, key }, stream)
  const label = `attribute '${key}'`
  switch (key) {
    case 'name':
    case 'run_id':
      return keySpec('attribute', key, label, LISTABLE, 'string')
    case 'source_path':
      return keySpec('attribute', key, label, STRING_COMPARATORS, 'string')
    case 'version_number':
      return keySpec('attribute', key, label, NUMERIC_COMPARATORS, 'integer')
    default:
      throw unknownAttributeError(stream, ref.token, key, MODEL_VERSION_FILTER_ATTRIBUTES)
  }
}

const resolveRegisteredModelOrderKey: OrderKeyResolver = (ref, stream) => {
  const { entity, key } = resolveEntity(ref, PREFIXES, stream)
  if (entity === 'tag')
    throw stream.error(ref.token, `Cannot order registered models by tag '${key}'`)
  if (key === 'name') return { entity, key }
  if (key === 'timestamp' || key === 'last_updated_timestamp') {
    return { entity, key: 'last_updated_timestamp' }
  }
  throw unknownAttributeError(stream, ref.token, key, REGISTERED_MODEL_ORDER_KEYS)
}

const resolveModelVersionOrderKey: OrderKeyResolver = (ref, stream) => {
  const { entity, key } = resolveEntity(ref, PREFIXES, stream)
  if (entity === 'tag') throw stream.error(ref.token, `Cannot order model versions by tag '${key}'`)
  const keys: readonly string[] = MODEL_VERSION_ORDER_KEYS
  if (!keys.includes(key)) throw unknownAttributeError(stream, ref.token, key, keys)
  return { entity, key }
}

/**
 * Parses a search_registered_models filter such as `name LIKE 'iris%' AND tags.team = 'ml'`
 * (OR and parentheses are a Logbook extension); undefined for an empty filter.
 */
export function parseRegisteredModelFilter(filter: string | undefined): FilterExpr | undefined {
  return parseFilterExpression(filter, resolveRegisteredModelKey)
}

/** Parses search_registered_models order_by clauses (`name`, `timestamp`, `last_updated_timestamp`). */
export function parseRegisteredModelOrderBy(orderBy: string[] | undefined): OrderTerm[] {
  return parseOrderByClauses(orderBy, resolveRegisteredModelOrderKey)
}

/** Parses a search_model_versions filter such as `name = 'iris' AND version_number > 2`. */
export function parseModelVersionFilter(filter: string | undefined): FilterExpr | undefined {
  return parseFilterExpression(filter, resolveModelVersionKey)
}

/** Parses search_model_versions order_by clauses such as `version_number DESC`. */
export function parseModelVersionOrderBy(orderBy: string[] | undefined): OrderTerm[] {
  return parseOrderByClauses(orderBy, resolveModelVersionOrderKey)
}
