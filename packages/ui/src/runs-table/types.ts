import type { WireNumber } from '../components/format.ts'

/** One metric of a run in the runs table (logbook/runs/table). */
export interface TableMetric {
  last: WireNumber
  min: WireNumber
  max: WireNumber
  step: number
  timestamp: number
}

/** One run as POST logbook/runs/table returns it, with only the asked-for columns. */
export interface TableRun {
  run_id: string
  run_name: string
  experiment_id: string
  status: string
  start_time: number
  end_time?: number | null
  lifecycle_stage: 'active' | 'deleted'
  user_id?: string
  parent_run_id?: string | null
  child_count?: number
  params?: Record<string, string>
  tags?: Record<string, string>
  metrics?: Record<string, TableMetric>
}

export interface TablePage {
  runs?: TableRun[]
  next_page_token?: string
  total: number
}

export type RunViewType = 'ACTIVE_ONLY' | 'DELETED_ONLY' | 'ALL'

/** The body of POST logbook/runs/table without paging fields. */
export interface TableRequest {
  experiment_ids: string[]
  filter?: string
  order_by?: string[]
  run_view_type: RunViewType
  columns: { params: string[]; metrics: string[]; tags: string[] }
  parents_only?: boolean
}

/** GET logbook/experiments/keys */
export interface ExperimentKeys {
  params?: string[]
  metrics?: string[]
  tags?: string[]
}

export interface MetricAggregate {
  mean: WireNumber | null
  min: WireNumber | null
  max: WireNumber | null
}

/** One group of POST logbook/runs/groups */
export interface RunGroup {
  value: string | null
  count: number
  metrics?: Record<string, MetricAggregate>
}
