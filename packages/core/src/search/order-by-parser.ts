import { invalidParam } from '../errors.ts'
import type { OrderTerm } from './ast.ts'
import { unexpected } from './filter-parser.ts'
import { formatField, identifierRef } from './identifier.ts'
import type { EntityKey, IdentifierRef } from './identifier.ts'
import { TokenStream } from './token-stream.ts'

/** Validates an order_by identifier, throwing a positioned error when it cannot be ordered by. */
export type OrderKeyResolver = (ref: IdentifierRef, stream: TokenStream) => EntityKey

/**
 * Parses order_by clauses of the form `<identifier> [ASC|DESC]` (ascending by default),
 * rejecting the same field given twice.
 */
export function parseOrderByClauses(
  clauses: readonly string[] | undefined,
  resolve: OrderKeyResolver,
): OrderTerm[] {
  const terms: OrderTerm[] = []
  const seen = new Set<string>()
  const duplicates: string[] = []
  for (const clause of clauses ?? []) {
    const term = parseClause(clause, resolve)
    const field = formatField(term)
    if (seen.has(field) && !duplicates.includes(field)) duplicates.push(field)
    seen.add(field)
    terms.push(term)
  }
  if (duplicates.length > 0) {
    throw invalidParam(`order_by contains duplicate fields: ${duplicates.join(', ')}`)
  }
  return terms
}

function parseClause(clause: string, resolve: OrderKeyResolver): OrderTerm {
  const stream = new TokenStream(clause, 'order_by clause')
  const first = stream.next()
  const ref = identifierRef(first)
  if (ref === undefined) throw unexpected(stream, first, 'an identifier such as metrics.rmse')
  const { entity, key } = resolve(ref, stream)
  const direction = stream.next()
  let ascending = true
  if (direction.kind === 'keyword' && (direction.value === 'ASC' || direction.value === 'DESC')) {
    ascending = direction.value === 'ASC'
    const extra = stream.next()
    if (extra.kind !== 'eof') throw unexpected(stream, extra, 'end of input after ASC or DESC')
  } else if (direction.kind !== 'eof') {
    throw unexpected(stream, direction, 'ASC or DESC')
  }
  return { entity, key, ascending }
}
