import type { OrderTerm } from './ast.ts'
import { RUN_NUMERIC_ATTRIBUTES, RUN_STRING_ATTRIBUTES } from './ast.ts'
import { resolveEntity, RUN_ENTITY_PREFIXES, unknownAttributeError } from './identifier.ts'
import { parseOrderByClauses } from './order-by-parser.ts'
import type { OrderKeyResolver } from './order-by-parser.ts'
import { RUN_ATTRIBUTE_ALIASES } from './run-filter.ts'

const ORDERABLE_ATTRIBUTES: readonly string[] = [
  ...RUN_STRING_ATTRIBUTES,
  ...RUN_NUMERIC_ATTRIBUTES,
  'experiment_id',
]

const resolveRunOrderKey: OrderKeyResolver = (ref, stream) => {
  const { entity, key } = resolveEntity(ref, RUN_ENTITY_PREFIXES, stream)
  if (entity === 'dataset') {
    throw stream.error(ref.token, `Cannot order by dataset field '${key}'`)
  }
  if (entity !== 'attribute') return { entity, key }
  const canonical = RUN_ATTRIBUTE_ALIASES.get(key) ?? key
  if (!ORDERABLE_ATTRIBUTES.includes(canonical)) {
    throw unknownAttributeError(stream, ref.token, key, ORDERABLE_ATTRIBUTES)
  }
  return { entity, key: canonical }
}

/**
 * Parses search_runs order_by clauses such as `metrics.rmse DESC`; returns only the terms given
 * (the store appends its tie-breakers) and throws INVALID_PARAMETER_VALUE when malformed.
 */
export function parseRunOrderBy(orderBy: string[] | undefined): OrderTerm[] {
  return parseOrderByClauses(orderBy, resolveRunOrderKey)
}
