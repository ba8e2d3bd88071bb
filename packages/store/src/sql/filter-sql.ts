import { sql, type RawBuilder, type SqlBool } from 'kysely'
import { invalidParam, type Comparator, type Comparison, type FilterExpr } from '@logbook/core'
import type { DialectAdapter } from '../dialect/dialect-adapter.ts'

type Condition = RawBuilder<SqlBool>

/** Compile an and/or tree, delegating each comparison to `leaf`. */
export function compileFilter(expr: FilterExpr, leaf: (c: Comparison) => Condition): Condition {
  if (expr.kind === 'cmp') return leaf(expr)
  const parts = expr.items.map((item) => compileFilter(item, leaf))
  return sql<SqlBool>`(${sql.join(parts, expr.kind === 'and' ? sql` and ` : sql` or `)})`
}

const SQL_OPS: Partial<Record<Comparator, RawBuilder<unknown>>> = {
  '=': sql.raw('='),
  '!=': sql.raw('<>'),
  '<': sql.raw('<'),
  '<=': sql.raw('<='),
  '>': sql.raw('>'),
  '>=': sql.raw('>='),
}

/** `column <op> value` for every comparator the grammar allows on a column. */
export function compareColumn(
  adapter: DialectAdapter,
  column: RawBuilder<unknown>,
  op: Comparator,
  value: Comparison['value'],
): Condition {
  const simple = SQL_OPS[op]
  if (simple) return sql<SqlBool>`${column} ${simple} ${value}`
  switch (op) {
    case 'LIKE':
    case 'ILIKE':
      return adapter.like(column, String(value), op === 'ILIKE') as Condition
    case 'IN':
    case 'NOT IN': {
      const list = Array.isArray(value) ? value : [String(value)]
      if (list.length === 0) return sql<SqlBool>`${op === 'IN' ? sql`1 = 0` : sql`1 = 1`}`
      const items = sql.join(list.map((v) => sql`${v}`))
      return sql<SqlBool>`${column} ${sql.raw(op === 'IN' ? 'in' : 'not in')} (${items})`
    }
    case 'IS NULL':
      return sql<SqlBool>`${column} is null`
    case 'IS NOT NULL':
      return sql<SqlBool>`${column} is not null`
    default:
      throw invalidParam(`Unsupported comparator '${op}'`)
  }
}
