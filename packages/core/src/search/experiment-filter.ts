import type { FilterExpr, OrderTerm } from './ast.ts'
import {
  EXPERIMENT_NUMERIC_ATTRIBUTES,
  EXPERIMENT_ORDER_KEYS,
  EXPERIMENT_STRING_ATTRIBUTES,
} from './ast.ts'
import {
  keySpec,
  NULL_COMPARATORS,
  NUMERIC_COMPARATORS,
  parseFilterExpression,
  STRING_COMPARATORS,
} from './filter-parser.ts'
import type { KeyResolver } from './filter-parser.ts'
import { EXPERIMENT_ENTITY_PREFIXES, resolveEntity, unknownAttributeError } from './identifier.ts'
import { parseOrderByClauses } from './order-by-parser.ts'
import type { OrderKeyResolver } from './order-by-parser.ts'

const STRING_ATTRIBUTES: readonly string[] = EXPERIMENT_STRING_ATTRIBUTES
const NUMERIC_ATTRIBUTES: readonly string[] = EXPERIMENT_NUMERIC_ATTRIBUTES
const ORDER_KEYS: readonly string[] = EXPERIMENT_ORDER_KEYS
const FILTERABLE_ATTRIBUTES = [...STRING_ATTRIBUTES, ...NUMERIC_ATTRIBUTES]

const resolveExperimentKey: KeyResolver = (ref, stream) => {
  const { entity, key } = resolveEntity(ref, EXPERIMENT_ENTITY_PREFIXES, stream)
  if (entity === 'tag') {
    const comparators = [...STRING_COMPARATORS, ...NULL_COMPARATORS]
    return keySpec(entity, key, `tag '${key}'`, comparators, 'string')
  }
  const label = `attribute '${key}'`
  if (STRING_ATTRIBUTES.includes(key)) {
    return keySpec('attribute', key, label, STRING_COMPARATORS, 'string')
  }
  if (NUMERIC_ATTRIBUTES.includes(key)) {
    return keySpec('attribute', key, label, NUMERIC_COMPARATORS, 'integer')
  }
  throw unknownAttributeError(stream, ref.token, key, FILTERABLE_ATTRIBUTES)
}

const resolveExperimentOrderKey: OrderKeyResolver = (ref, stream) => {
  const { entity, key } = resolveEntity(ref, EXPERIMENT_ENTITY_PREFIXES, stream)
  if (entity === 'tag') throw stream.error(ref.token, `Cannot order experiments by tag '${key}'`)
  if (!ORDER_KEYS.includes(key)) throw unknownAttributeError(stream, ref.token, key, ORDER_KEYS)
  return { entity, key }
}

/**
 * Parses a search_experiments filter such as `name LIKE 'exp%' AND tags.team = 'ml'` (OR and
 * parentheses are a Logbook extension); returns undefined for an empty or blank filter.
 */
export function parseExperimentFilter(filter: string | undefined): FilterExpr | undefined {
  return parseFilterExpression(filter, resolveExperimentKey)
}

/** Parses search_experiments order_by clauses such as `last_update_time DESC`. */
export function parseExperimentOrderBy(orderBy: string[] | undefined): OrderTerm[] {
  return parseOrderByClauses(orderBy, resolveExperimentOrderKey)
}
