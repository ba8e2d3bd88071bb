/** Parsed forms of MLflow's search filter and order_by strings, shared by parser and SQL compiler. */

export type Comparator =
  | '='
  | '!='
  | '<'
  | '<='
  | '>'
  | '>='
  | 'LIKE'
  | 'ILIKE'
  | 'IN'
  | 'NOT IN'
  | 'IS NULL'
  | 'IS NOT NULL'

/** Which family a key belongs to. `attribute` keys are canonical (e.g. `created` -> `start_time`). */
export type Entity = 'metric' | 'param' | 'tag' | 'attribute' | 'dataset'

/** One comparison. `value` is a number for numeric comparisons, a string, a list for IN, null for IS NULL. */
export interface Comparison {
  kind: 'cmp'
  entity: Entity
  key: string
  op: Comparator
  value: string | number | string[] | null
}

/** Boolean combination; `and`/`or` always hold two or more items. */
export type FilterExpr = Comparison | { kind: 'and'; items: FilterExpr[] } | { kind: 'or'; items: FilterExpr[] }

/** One order_by term. */
export interface OrderTerm {
  entity: Entity
  key: string
  ascending: boolean
  /** Logbook's runs table only: order by the series' `min(metrics.k)` / `max(metrics.k)`. */
  aggregate?: 'min' | 'max'
}

/** Run attributes that compare as strings. */
export const RUN_STRING_ATTRIBUTES = ['run_id', 'run_name', 'status', 'user_id', 'artifact_uri'] as const
/** Run attributes that compare as integers (milliseconds). */
export const RUN_NUMERIC_ATTRIBUTES = ['start_time', 'end_time'] as const
/** Dataset keys a run filter may test. */
export const DATASET_KEYS = ['name', 'digest', 'context'] as const
/** Experiment attributes: strings and numbers. */
export const EXPERIMENT_STRING_ATTRIBUTES = ['name'] as const
export const EXPERIMENT_NUMERIC_ATTRIBUTES = ['creation_time', 'last_update_time'] as const
export const EXPERIMENT_ORDER_KEYS = ['name', 'experiment_id', 'creation_time', 'last_update_time'] as const
