/** Domain types as they travel on MLflow's wire (snake_case, int64 as number, ids as strings). */

export type LifecycleStage = 'active' | 'deleted'
export const RUN_STATUSES = ['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED'] as const
export type RunStatus = (typeof RUN_STATUSES)[number]
export const VIEW_TYPES = ['ACTIVE_ONLY', 'DELETED_ONLY', 'ALL'] as const
export type ViewType = (typeof VIEW_TYPES)[number]

export interface KeyValue {
  key: string
  value: string
}

export interface Experiment {
  experiment_id: string
  name: string
  artifact_location: string
  lifecycle_stage: LifecycleStage
  creation_time: number
  last_update_time: number
  tags: KeyValue[]
}

export interface RunInfo {
  run_id: string
  run_uuid: string
  run_name: string
  experiment_id: string
  user_id: string
  status: RunStatus
  start_time: number
  end_time?: number
  artifact_uri: string
  lifecycle_stage: LifecycleStage
}

/** A metric point. `value` may be NaN or ±Infinity; the wire encoder turns those into strings. */
export interface Metric {
  key: string
  value: number
  timestamp: number
  step: number
  run_id?: string
  /** Set when the metric also belongs to a logged model (MLflow 3); recorded on that model too. */
  model_id?: string
  dataset_name?: string
  dataset_digest?: string
}

export interface Dataset {
  name: string
  digest: string
  source_type: string
  source: string
  schema?: string
  profile?: string
}

export interface DatasetInput {
  tags: KeyValue[]
  dataset: Dataset
}

export interface ModelOutput {
  model_id: string
  step: number
}

export interface RunData {
  metrics: Metric[]
  params: KeyValue[]
  tags: KeyValue[]
}

export interface Run {
  info: RunInfo
  data: RunData
  /** Lists are left out when empty, as MLflow does (and so responses skip the slow JSON path). */
  inputs: { dataset_inputs?: DatasetInput[]; model_inputs?: { model_id: string }[] }
  outputs: { model_outputs?: ModelOutput[] }
}

/** A page of results with MLflow's opaque continuation token. */
export interface Page<T> {
  items: T[]
  nextPageToken?: string
}
