import { invalidParam } from '../errors.ts'
import type { OrderTerm } from './ast.ts'
import { formatField } from './identifier.ts'
import { parseRunOrderBy } from './run-order-by.ts'

// `min(<identifier>) [ASC|DESC]`; greedy up to the last `)` so a backticked key may hold one.
const AGGREGATE = /^\s*(min|max)\s*\((.*)\)\s*(asc|desc)?\s*$/is

/**
 * Parses the runs table's order_by: everything search-runs accepts plus `min(metrics.<key>)` and
 * `max(metrics.<key>)` (the series' smallest and largest value). search-runs keeps MLflow's parser,
 * which rejects these.
 */
export function parseRunTableOrderBy(orderBy: string[] | undefined): OrderTerm[] {
  const terms: OrderTerm[] = []
  const seen = new Set<string>()
  for (const clause of orderBy ?? []) {
    const m = AGGREGATE.exec(clause)
    let term: OrderTerm
    if (m) {
      const [inner] = parseRunOrderBy([(m[2] ?? '').trim()])
      if (inner?.entity !== 'metric') {
        throw invalidParam(`Invalid order_by clause '${clause}': ${m[1]}() takes a metric, e.g. ${m[1]}(metrics.loss)`)
      }
      const aggregate = (m[1] ?? '').toLowerCase() === 'min' ? 'min' : 'max'
      term = { entity: 'metric', key: inner.key, ascending: (m[3] ?? 'asc').toLowerCase() === 'asc', aggregate }
    } else {
      const [plain] = parseRunOrderBy([clause])
      if (!plain) continue
      term = plain
    }
    const field = term.aggregate ? `${term.aggregate}(${formatField(term)})` : formatField(term)
    if (seen.has(field)) throw invalidParam(`order_by contains duplicate fields: ${field}`)
    seen.add(field)
    terms.push(term)
  }
  return terms
}
