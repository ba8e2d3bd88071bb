import type { FilterExpr } from './ast.ts'
import { DATASET_KEYS, RUN_NUMERIC_ATTRIBUTES, RUN_STRING_ATTRIBUTES } from './ast.ts'
import {
  LIST_COMPARATORS,
  NULL_COMPARATORS,
  keySpec as spec,
  NUMERIC_COMPARATORS,
  parseFilterExpression,
  STRING_COMPARATORS,
} from './filter-parser.ts'
import type { KeyResolver } from './filter-parser.ts'
import { resolveEntity, RUN_ENTITY_PREFIXES, unknownAttributeError } from './identifier.ts'

/** Alternative spellings of run attributes (as the MLflow UI writes them), to canonical keys. */
export const RUN_ATTRIBUTE_ALIASES: ReadonlyMap<string, string> = new Map([
  ['created', 'start_time'],
  ['Created', 'start_time'],
  ['run name', 'run_name'],
  ['Run name', 'run_name'],
  ['Run Name', 'run_name'],
])

const STRING_ATTRIBUTES: readonly string[] = RUN_STRING_ATTRIBUTES
const NUMERIC_ATTRIBUTES: readonly string[] = RUN_NUMERIC_ATTRIBUTES
const DATASET_FIELDS: readonly string[] = DATASET_KEYS
const FILTERABLE_ATTRIBUTES = [...STRING_ATTRIBUTES, ...NUMERIC_ATTRIBUTES]
const KEY_VALUE_COMPARATORS = [...STRING_COMPARATORS, ...NULL_COMPARATORS]
const LISTABLE_COMPARATORS = [...STRING_COMPARATORS, ...LIST_COMPARATORS]

const resolveRunKey: KeyResolver = (ref, stream) => {
  const { entity, key } = resolveEntity(ref, RUN_ENTITY_PREFIXES, stream)
  switch (entity) {
    case 'metric':
      return spec(entity, key, `metric '${key}'`, NUMERIC_COMPARATORS, 'number')
    case 'param':
    case 'tag':
      return spec(entity, key, `${entity} '${key}'`, KEY_VALUE_COMPARATORS, 'string')
    case 'dataset':
      if (!DATASET_FIELDS.includes(key)) {
        const hint = `Valid dataset keys are: ${DATASET_FIELDS.join(', ')}`
        throw stream.error(ref.token, `Invalid dataset key '${key}'`, hint)
      }
      return spec(entity, key, `dataset '${key}'`, LISTABLE_COMPARATORS, 'string')
    case 'attribute': {
      const canonical = RUN_ATTRIBUTE_ALIASES.get(key) ?? key
      const label = `attribute '${canonical}'`
      if (NUMERIC_ATTRIBUTES.includes(canonical)) {
        return spec(entity, canonical, label, NUMERIC_COMPARATORS, 'integer')
      }
      if (canonical === 'run_id') {
        return spec(entity, canonical, label, LISTABLE_COMPARATORS, 'string')
      }
      if (STRING_ATTRIBUTES.includes(canonical)) {
        return spec(entity, canonical, label, STRING_COMPARATORS, 'string')
      }
      throw unknownAttributeError(stream, ref.token, key, FILTERABLE_ATTRIBUTES)
    }
  }
}

/**
 * Parses a search_runs filter such as `metrics.rmse < 1 AND params.opt = 'adam'`; returns
 * undefined for an empty or blank filter and throws INVALID_PARAMETER_VALUE when malformed.
 */
export function parseRunFilter(filter: string | undefined): FilterExpr | undefined {
  return parseFilterExpression(filter, resolveRunKey)
}
