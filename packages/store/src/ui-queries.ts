import type { FilterExpr, OrderTerm, ViewType } from '@logbook/core'

/** Which params, metrics and tags a runs-table page carries (omitted kinds: none). */
export interface RunTableColumns {
  params: string[]
  metrics: string[]
  tags: string[]
}

/** One page of the UI's runs table (`POST logbook/runs/table`). */
export interface RunTableQuery {
  experimentIds: string[]
  filter?: FilterExpr
  /** search-runs terms plus `aggregate: 'min' | 'max'` on metric terms. */
  orderBy: OrderTerm[]
  viewType: ViewType
  maxResults: number
  pageToken?: string
  columns: RunTableColumns
  /** Only runs without an `mlflow.parentRunId` tag. */
  parentsOnly: boolean
}

/** A latest metric value with the series' min and max (NaN points excluded; NaN when all are NaN). */
export interface RunTableMetric {
  last: number
  min: number
  max: number
  step: number
  timestamp: number
}

/** One row of the runs table. */
export interface RunTableRow {
  run_id: string
  run_name: string
  experiment_id: string
  status: string
  start_time: number
  end_time: number | null
  lifecycle_stage: string
  user_id: string
  parent_run_id: string | null
  child_count: number
  params: Record<string, string>
  tags: Record<string, string>
  metrics: Record<string, RunTableMetric>
}

export interface RunTablePage {
  runs: RunTableRow[]
  nextPageToken?: string
  /** Runs matching the filter (all pages). */
  total: number
}

/** Group-by with aggregates of each run's latest metric values (`POST logbook/runs/groups`). */
export interface RunGroupsQuery {
  experimentIds: string[]
  filter?: FilterExpr
  viewType: ViewType
  groupBy: { entity: 'param' | 'tag'; key: string }
  metrics: string[]
}

export interface RunGroup {
  /** The param or tag value; null for runs without it. */
  value: string | null
  count: number
  /** Per metric over the group's non-NaN latest values; a metric no run of the group has is left out. */
  metrics: Record<string, { mean: number; min: number; max: number }>
}

/** Distinct keys logged in some experiments, sorted. */
export interface ExperimentKeys {
  params: string[]
  metrics: string[]
  tags: string[]
}

/** Downsampled series of several runs (`POST logbook/metrics/sampled`). */
export interface SampledMetricsQuery {
  runIds: string[]
  metricKey: string
  xAxis: 'step' | 'timestamp'
  buckets: number
  minX?: number
  maxX?: number
}

/** One run's series: parallel arrays, one entry per non-empty bucket (or per point when not sampled). */
export interface SampledSeries {
  run_id: string
  metric_key: string
  /** Points within the x range. */
  total_points: number
  sampled: boolean
  x: number[]
  min: number[]
  max: number[]
  last: number[]
  count: number[]
}

/** Logbook-only queries behind the web UI (docs/architecture.md, "UI support routes"). */
export interface UiQueries {
  runsTable(query: RunTableQuery): Promise<RunTablePage>
  runGroups(query: RunGroupsQuery): Promise<RunGroup[]>
  experimentKeys(experimentIds: string[]): Promise<ExperimentKeys>
  sampledMetrics(query: SampledMetricsQuery): Promise<SampledSeries[]>
}
