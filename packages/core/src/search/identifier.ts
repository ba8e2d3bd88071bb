import type { Entity } from './ast.ts'
import type { TokenStream } from './token-stream.ts'
import { describeToken } from './tokenizer.ts'
import type { Token } from './tokenizer.ts'

/** An identifier as written, split into entity prefix and key but not yet validated. */
export interface IdentifierRef {
  /** The entity prefix (`metrics` in `metrics.rmse`), or undefined when there is none. */
  prefix: string | undefined
  /** The key after the first dot, quotes removed. */
  key: string
  /** The identifier as a whole (quotes removed), used when an unknown prefix makes it an attribute. */
  whole: string
  token: Token
}

/** A validated identifier: its entity and canonical key. */
export interface EntityKey {
  entity: Entity
  key: string
}

/** Entity prefixes accepted in run filters and order_by, with their aliases. */
export const RUN_ENTITY_PREFIXES: ReadonlyMap<string, Entity> = new Map<string, Entity>([
  ['metrics', 'metric'],
  ['metric', 'metric'],
  ['params', 'param'],
  ['param', 'param'],
  ['parameters', 'param'],
  ['parameter', 'param'],
  ['tags', 'tag'],
  ['tag', 'tag'],
  ['attributes', 'attribute'],
  ['attribute', 'attribute'],
  ['attr', 'attribute'],
  ['run', 'attribute'],
  ['datasets', 'dataset'],
  ['dataset', 'dataset'],
])

/** Entity prefixes accepted in experiment filters and order_by. */
export const EXPERIMENT_ENTITY_PREFIXES: ReadonlyMap<string, Entity> = new Map<string, Entity>([
  ['attributes', 'attribute'],
  ['attribute', 'attribute'],
  ['attr', 'attribute'],
  ['tags', 'tag'],
  ['tag', 'tag'],
])

const PREFIX_OF: Record<Entity, string> = {
  metric: 'metrics',
  param: 'params',
  tag: 'tags',
  attribute: 'attributes',
  dataset: 'datasets',
}

/**
 * Reads the identifier at `token`: a word split at its first dot, a backticked or double-quoted
 * key (an attribute), or `` prefix.`key` ``. Returns undefined for any other token.
 */
export function identifierRef(token: Token): IdentifierRef | undefined {
  if (token.kind === 'string' && token.quote === '"') {
    return { prefix: undefined, key: token.value, whole: token.value, token }
  }
  if (token.kind !== 'ident') return undefined
  if (token.prefix !== undefined) {
    const whole = `${token.prefix}.${token.value}`
    const dot = token.prefix.indexOf('.')
    if (dot < 0) return { prefix: token.prefix, key: token.value, whole, token }
    const key = `${token.prefix.slice(dot + 1)}.${token.value}`
    return { prefix: token.prefix.slice(0, dot), key, whole, token }
  }
  const dot = token.quote === undefined ? token.value.indexOf('.') : -1
  if (dot < 0) return { prefix: undefined, key: token.value, whole: token.value, token }
  const prefix = token.value.slice(0, dot)
  return { prefix, key: token.value.slice(dot + 1), whole: token.value, token }
}

/**
 * Maps an identifier's prefix to its entity. No prefix means attribute; an unknown prefix makes
 * the whole identifier an attribute name (which the caller then rejects as an unknown attribute).
 */
export function resolveEntity(
  ref: IdentifierRef,
  prefixes: ReadonlyMap<string, Entity>,
  stream: TokenStream,
): EntityKey {
  if (ref.prefix === undefined) return { entity: 'attribute', key: ref.key }
  const entity = prefixes.get(ref.prefix)
  if (entity === undefined) return { entity: 'attribute', key: ref.whole }
  if (ref.key === '') {
    throw stream.error(ref.token, `missing key after ${describeToken(ref.token)}`)
  }
  return { entity, key: ref.key }
}

/** The error for an attribute key that does not exist, listing the valid ones. */
export function unknownAttributeError(
  stream: TokenStream,
  token: Token,
  key: string,
  valid: readonly string[],
): Error {
  const hint = `Valid attribute keys are: ${valid.join(', ')}`
  return stream.error(token, `Invalid attribute key '${key}'`, hint)
}

/** Renders an entity and key the way a user writes it, e.g. `metrics.rmse` or `` tags.`a b` ``. */
export function formatField(field: EntityKey): string {
  const key = /^[A-Za-z0-9_.]+$/.test(field.key) ? field.key : `\`${field.key}\``
  return `${PREFIX_OF[field.entity]}.${key}`
}
