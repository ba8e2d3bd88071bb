import { formatDuration, formatTime, formatNumber } from '../components/format.ts'
import type { TableRun } from './types.ts'

/**
 * Columns of the runs table. A column's id is also how it appears in the URL and in CSV headers:
 * `metrics.loss` (last value), `min(metrics.loss)`, `max(metrics.loss)`, `params.lr`, `tags.team`,
 * `attributes.start_time`.
 */
export type Column =
  | { id: string; kind: 'metric'; key: string; agg: 'last' | 'min' | 'max' }
  | { id: string; kind: 'param' | 'tag'; key: string }
  | { id: string; kind: 'attribute'; key: AttributeKey }

export type AttributeKey =
  'run_name' | 'status' | 'start_time' | 'duration' | 'user_id' | 'experiment_id' | 'run_id'

const PREFIX = { metric: 'metrics', param: 'params', tag: 'tags', attribute: 'attributes' } as const

/** Build a column from its parts. */
export function column(kind: 'metric', key: string, agg?: 'last' | 'min' | 'max'): Column
export function column(kind: 'param' | 'tag', key: string): Column
export function column(
  kind: 'metric' | 'param' | 'tag',
  key: string,
  agg: 'last' | 'min' | 'max' = 'last',
): Column {
  if (kind === 'metric') {
    const base = `metrics.${key}`
    return { id: agg === 'last' ? base : `${agg}(${base})`, kind, key, agg }
  }
  return { id: `${PREFIX[kind]}.${key}`, kind, key }
}

const ATTRIBUTES: readonly AttributeKey[] = [
  'run_name',
  'status',
  'start_time',
  'duration',
  'user_id',
  'experiment_id',
  'run_id',
]

/** Parse a column id (from the URL); undefined when it is not one. */
export function parseColumn(id: string): Column | undefined {
  const agg = /^(min|max)\(metrics\.(.+)\)$/s.exec(id)
  if (agg) return column('metric', agg[2]!, agg[1] as 'min' | 'max')
  const m = /^(metrics|params|tags|attributes)\.(.+)$/s.exec(id)
  if (!m) return undefined
  const key = m[2]!
  if (m[1] === 'metrics') return column('metric', key)
  if (m[1] === 'params') return column('param', key)
  if (m[1] === 'tags') return column('tag', key)
  return ATTRIBUTES.includes(key as AttributeKey)
    ? { id, kind: 'attribute', key: key as AttributeKey }
    : undefined
}

/** Columns in the URL's `cols` parameter: ids joined by commas, each URI-encoded. */
export function parseColumns(text: string | null): Column[] {
  if (!text) return []
  return text
    .split(',')
    .map((part) => parseColumn(decodeURIComponent(part)))
    .filter((c): c is Column => c !== undefined)
}

export function serializeColumns(columns: readonly Column[]): string {
  return columns.map((c) => encodeURIComponent(c.id)).join(',')
}

const quoted = (key: string): string => `\`${key.replace(/`/g, '``')}\``

/** The server's order_by expression for sorting on `col`, or undefined when it cannot sort by it. */
export function orderByFor(col: Column, dir: 'asc' | 'desc'): string | undefined {
  const d = dir.toUpperCase()
  switch (col.kind) {
    case 'metric':
      return col.agg === 'last'
        ? `metrics.${quoted(col.key)} ${d}`
        : `${col.agg}(metrics.${quoted(col.key)}) ${d}`
    case 'param':
      return `params.${quoted(col.key)} ${d}`
    case 'tag':
      return `tags.${quoted(col.key)} ${d}`
    case 'attribute':
      if (col.key === 'duration' || col.key === 'experiment_id') return undefined
      return `attributes.${col.key} ${d}`
  }
}

/** The header text of a column. */
export function columnLabel(col: Column): string {
  switch (col.kind) {
    case 'metric':
      return col.agg === 'last' ? col.key : `${col.key} (${col.agg})`
    case 'param':
    case 'tag':
      return col.key
    case 'attribute':
      return ATTRIBUTE_LABELS[col.key]
  }
}

const ATTRIBUTE_LABELS: Record<AttributeKey, string> = {
  run_name: 'Run',
  status: 'Status',
  start_time: 'Started',
  duration: 'Duration',
  user_id: 'User',
  experiment_id: 'Experiment',
  run_id: 'Run ID',
}

/** The raw text of a cell (also what CSV export writes). */
export function cellText(run: TableRun, col: Column, forCsv = false): string {
  switch (col.kind) {
    case 'metric': {
      const m = run.metrics?.[col.key]
      if (!m) return ''
      const v = m[col.agg]
      return forCsv ? String(v) : formatNumber(v)
    }
    case 'param':
      return run.params?.[col.key] ?? ''
    case 'tag':
      return run.tags?.[col.key] ?? ''
    case 'attribute':
      switch (col.key) {
        case 'start_time':
          return forCsv
            ? run.start_time
              ? new Date(run.start_time).toISOString()
              : ''
            : formatTime(run.start_time)
        case 'duration':
          if (!run.start_time) return ''
          if (!run.end_time) return run.status === 'RUNNING' ? (forCsv ? '' : 'running') : ''
          return forCsv
            ? String(run.end_time - run.start_time)
            : formatDuration(run.end_time - run.start_time)
        default:
          return String(run[col.key] ?? '')
      }
  }
}
