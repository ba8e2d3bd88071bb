import type { MlflowError } from '../errors.ts'
import type { Comparator, Entity, FilterExpr } from './ast.ts'
import { identifierRef } from './identifier.ts'
import type { IdentifierRef } from './identifier.ts'
import { isKeyword, TokenStream } from './token-stream.ts'
import { describeToken } from './tokenizer.ts'
import type { Token } from './tokenizer.ts'

/** Comparators of numbers (metrics, timestamps). */
export const NUMERIC_COMPARATORS = ['=', '!=', '<', '<=', '>', '>='] as const satisfies Comparator[]
/** Comparators of strings. */
export const STRING_COMPARATORS = ['=', '!=', 'LIKE', 'ILIKE'] as const satisfies Comparator[]
/** Comparators testing for presence. */
export const NULL_COMPARATORS = ['IS NULL', 'IS NOT NULL'] as const satisfies Comparator[]
/** Comparators against a parenthesised list of strings. */
export const LIST_COMPARATORS = ['IN', 'NOT IN'] as const satisfies Comparator[]

/** How a comparison's right-hand side must be written: a quoted string, any number, an integer. */
export type ValueType = 'string' | 'number' | 'integer'

/** What a search key accepts: its entity, canonical key, comparators and value type. */
export interface KeySpec {
  entity: Entity
  key: string
  /** How errors name the key, e.g. `metric 'rmse'`. */
  label: string
  comparators: readonly Comparator[]
  valueType: ValueType
}

/** Validates an identifier for one kind of search, throwing a positioned error when invalid. */
export type KeyResolver = (ref: IdentifierRef, stream: TokenStream) => KeySpec

/** Builds a KeySpec from its parts. */
export function keySpec(
  entity: Entity,
  key: string,
  label: string,
  comparators: readonly Comparator[],
  valueType: ValueType,
): KeySpec {
  return { entity, key, label, comparators, valueType }
}

const NOT_ONLY_IN = 'NOT is only supported as NOT IN'

/**
 * Parses a filter (`expr := term (OR term)*`, `term := factor (AND factor)*`,
 * `factor := '(' expr ')' | comparison`); returns undefined for an empty or blank filter.
 */
export function parseFilterExpression(
  filter: string | undefined,
  resolve: KeyResolver,
): FilterExpr | undefined {
  if (filter === undefined || filter.trim() === '') return undefined
  const stream = new TokenStream(filter, 'filter')
  const expr = parseOr(stream, resolve)
  const rest = stream.peek()
  if (rest.kind === 'rparen') throw stream.error(rest, `unbalanced parenthesis: unexpected ')'`)
  if (rest.kind !== 'eof') throw unexpected(stream, rest, 'AND, OR or end of input')
  return expr
}

/** The error for a token that does not fit; at the end of input it points at the token before. */
export function unexpected(stream: TokenStream, token: Token, expected: string): MlflowError {
  if (token.kind === 'eof') {
    const previous = stream.previous()
    if (previous === undefined) return stream.error(token, `expected ${expected}`)
    return stream.error(previous, `expected ${expected} after ${describeToken(previous)}`)
  }
  return stream.error(token, `unexpected ${describeToken(token)}`, `Expected ${expected}`)
}

function combine(kind: 'and' | 'or', items: FilterExpr[]): FilterExpr {
  const flat = items.flatMap((item) => (item.kind === kind ? item.items : [item]))
  const [first] = flat
  if (flat.length === 1 && first !== undefined) return first
  return { kind, items: flat }
}

function parseOr(stream: TokenStream, resolve: KeyResolver): FilterExpr {
  const items = [parseAnd(stream, resolve)]
  while (stream.acceptKeyword('OR')) items.push(parseAnd(stream, resolve))
  return combine('or', items)
}

function parseAnd(stream: TokenStream, resolve: KeyResolver): FilterExpr {
  const items = [parseFactor(stream, resolve)]
  while (stream.acceptKeyword('AND')) items.push(parseFactor(stream, resolve))
  return combine('and', items)
}

function parseFactor(stream: TokenStream, resolve: KeyResolver): FilterExpr {
  const open = stream.peek()
  if (isKeyword(open, 'NOT')) throw stream.error(open, NOT_ONLY_IN)
  if (open.kind !== 'lparen') return parseComparison(stream, resolve)
  stream.next()
  const inner = parseOr(stream, resolve)
  const close = stream.next()
  if (close.kind === 'rparen') return inner
  if (close.kind === 'eof') throw stream.error(open, `unclosed '('`)
  throw unexpected(stream, close, `AND, OR or ')'`)
}

function parseComparison(stream: TokenStream, resolve: KeyResolver): FilterExpr {
  const first = stream.next()
  const ref = identifierRef(first)
  if (ref === undefined) throw unexpected(stream, first, 'a comparison')
  const spec = resolve(ref, stream)
  const { op, token } = parseComparator(stream)
  if (!spec.comparators.includes(op)) {
    const hint = `Valid comparators are: ${spec.comparators.join(', ')}`
    throw stream.error(token, `Invalid comparator '${op}' for ${spec.label}`, hint)
  }
  const base = { kind: 'cmp', entity: spec.entity, key: spec.key, op } as const
  if (op === 'IS NULL' || op === 'IS NOT NULL') return { ...base, value: null }
  if (op === 'IN' || op === 'NOT IN') return { ...base, value: parseList(stream, op) }
  return { ...base, value: parseScalar(stream, spec) }
}

function parseComparator(stream: TokenStream): { op: Comparator; token: Token } {
  const token = stream.next()
  if (token.kind === 'op') return { op: token.value as Comparator, token }
  if (token.kind === 'keyword') {
    switch (token.value) {
      case 'LIKE':
      case 'ILIKE':
      case 'IN':
        return { op: token.value, token }
      case 'NOT':
        if (stream.acceptKeyword('IN')) return { op: 'NOT IN', token }
        throw stream.error(token, NOT_ONLY_IN)
      case 'IS': {
        const not = stream.acceptKeyword('NOT') !== undefined
        if (stream.acceptKeyword('NULL')) return { op: not ? 'IS NOT NULL' : 'IS NULL', token }
        throw unexpected(stream, stream.peek(), not ? 'NULL' : 'NULL or NOT NULL')
      }
    }
  }
  throw unexpected(stream, token, 'a comparator')
}

function parseScalar(stream: TokenStream, spec: KeySpec): string | number {
  const token = stream.next()
  const wrongType = token.kind === 'string' || token.kind === 'ident' || token.kind === 'keyword'
  if (spec.valueType === 'string') {
    if (token.kind === 'string') return token.value
    if (wrongType || token.kind === 'number') {
      const got = describeToken(token)
      throw stream.error(token, `Expected a quoted string value for ${spec.label} but got ${got}`)
    }
    throw unexpected(stream, token, 'a quoted string value')
  }
  const expected = spec.valueType === 'number' ? 'numeric value type' : 'an integer value'
  if (token.kind === 'number') {
    const value = Number(token.text)
    if (spec.valueType === 'integer' && !/^-?\d+$/.test(token.text)) {
      throw stream.error(token, `Expected ${expected} for ${spec.label} but got '${token.text}'`)
    }
    if (!Number.isFinite(value) || (spec.valueType === 'integer' && !Number.isSafeInteger(value))) {
      throw stream.error(token, `Number '${token.text}' is out of range for ${spec.label}`)
    }
    return value
  }
  if (wrongType) {
    const got = describeToken(token)
    throw stream.error(token, `Expected ${expected} for ${spec.label} but got ${got}`)
  }
  throw unexpected(stream, token, spec.valueType === 'number' ? 'a number' : 'an integer')
}

function parseList(stream: TokenStream, op: 'IN' | 'NOT IN'): string[] {
  const open = stream.next()
  if (open.kind !== 'lparen') throw unexpected(stream, open, `a parenthesised list after ${op}`)
  const values: string[] = []
  for (;;) {
    const item = stream.next()
    if (item.kind === 'eof') throw stream.error(open, `unclosed '('`)
    if (item.kind === 'rparen' && values.length === 0) {
      throw stream.error(item, `unexpected ')'`, `The ${op} list must hold at least one value`)
    }
    if (item.kind !== 'string') {
      const got = describeToken(item)
      throw stream.error(item, `Expected a quoted string value in the ${op} list but got ${got}`)
    }
    values.push(item.value)
    const separator = stream.next()
    if (separator.kind === 'rparen') return values
    if (separator.kind === 'eof') throw stream.error(open, `unclosed '('`)
    if (separator.kind !== 'comma') throw unexpected(stream, separator, `',' or ')'`)
  }
}
