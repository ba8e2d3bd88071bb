import { column, orderByFor, parseColumn, parseColumns, serializeColumns, type Column } from './columns.ts'
import type { TableRequest } from './types.ts'

/**
 * Everything that defines a view of the runs table, read from the URL query so a link reproduces it:
 * `filter`, `sort` (a column id) + `dir`, `cols`, `group` (params.x / tags.x), `deleted=1`, `flat=1`.
 */
export interface ViewState {
  filter: string
  sort: Column
  dir: 'asc' | 'desc'
  columns: Column[]
  /** `cols` is in the URL (`cols=-`: none). Without it the page picks defaults once keys are known. */
  columnsChosen: boolean
  group: Column | undefined
  deleted: boolean
  nested: boolean
}

const START_TIME: Column = { id: 'attributes.start_time', kind: 'attribute', key: 'start_time' }

/** Columns always shown before the chosen ones (experiment only when several are open). */
export function fixedColumns(severalExperiments: boolean): Column[] {
  const cols: Column[] = [
    { id: 'attributes.run_name', kind: 'attribute', key: 'run_name' },
    { id: 'attributes.status', kind: 'attribute', key: 'status' },
    START_TIME,
    { id: 'attributes.duration', kind: 'attribute', key: 'duration' },
    { id: 'attributes.user_id', kind: 'attribute', key: 'user_id' },
  ]
  if (severalExperiments)
    cols.push({ id: 'attributes.experiment_id', kind: 'attribute', key: 'experiment_id' })
  return cols
}

export function readViewState(query: URLSearchParams): ViewState {
  const group = parseColumn(query.get('group') ?? '')
  return {
    filter: query.get('filter') ?? '',
    sort: parseColumn(query.get('sort') ?? '') ?? START_TIME,
    dir: query.get('dir') === 'asc' ? 'asc' : 'desc',
    columns: parseColumns(query.get('cols')),
    columnsChosen: query.has('cols'),
    group: group && (group.kind === 'param' || group.kind === 'tag') ? group : undefined,
    deleted: query.get('deleted') === '1',
    nested: query.get('flat') !== '1',
  }
}

/** Columns a new view starts with, as MLflow's table shows them: the first metrics, then params. */
export const DEFAULT_METRIC_COLUMNS = 6
export const DEFAULT_PARAM_COLUMNS = 6

export function defaultColumns(keys: { metrics?: string[]; params?: string[] }): Column[] {
  return [
    ...(keys.metrics ?? []).slice(0, DEFAULT_METRIC_COLUMNS).map((k) => column('metric', k)),
    ...(keys.params ?? []).slice(0, DEFAULT_PARAM_COLUMNS).map((k) => column('param', k)),
  ]
}

/** The `cols` value of a column list; `-` keeps an emptied list from turning back into defaults. */
export function colsQuery(columns: readonly Column[]): string {
  return serializeColumns(columns) || '-'
}

/** The runs/table request of a view (filter/parents_only may be overridden for children and groups). */
export function tableRequest(experimentIds: string[], view: ViewState): TableRequest {
  const columns = { params: [] as string[], metrics: [] as string[], tags: [] as string[] }
  for (const col of view.columns) {
    const list =
      col.kind === 'metric'
        ? columns.metrics
        : col.kind === 'param'
          ? columns.params
          : col.kind === 'tag'
            ? columns.tags
            : undefined
    if (list && !list.includes(col.key)) list.push(col.key)
  }
  const order = orderByFor(view.sort, view.dir)
  return {
    experiment_ids: experimentIds,
    filter: view.filter.trim() || undefined,
    order_by: order ? [order] : undefined,
    run_view_type: view.deleted ? 'ALL' : 'ACTIVE_ONLY',
    columns,
    // Nesting only without a filter: a filter should find matching child runs too.
    parents_only: view.nested && !view.filter.trim(),
  }
}

/** `a AND b` keeping each side's own OR/parentheses intact. */
export function andFilters(...parts: (string | undefined)[]): string | undefined {
  const present = parts.map((p) => p?.trim()).filter((p): p is string => !!p)
  if (present.length === 0) return undefined
  if (present.length === 1) return present[0]
  return present.map((p) => `(${p})`).join(' AND ')
}
