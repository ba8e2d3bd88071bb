import type { WireNumber } from '../components/format.ts'

/** Run objects as the MLflow REST API sends them (only the fields the UI reads). */
export interface WireKeyValue {
  key: string
  value: string
}

export interface WireMetric {
  key: string
  value: WireNumber
  timestamp: number
  step?: number
}

export interface WireRunInfo {
  run_id: string
  run_name?: string
  experiment_id: string
  user_id?: string
  status: string
  start_time?: number
  end_time?: number
  artifact_uri?: string
  lifecycle_stage: string
}

export interface WireDatasetInput {
  tags?: WireKeyValue[]
  dataset: {
    name: string
    digest: string
    source_type?: string
    source?: string
    schema?: string
    profile?: string
  }
}

export interface WireRun {
  info: WireRunInfo
  data: { metrics?: WireMetric[]; params?: WireKeyValue[]; tags?: WireKeyValue[] }
  inputs?: { dataset_inputs?: WireDatasetInput[]; model_inputs?: { model_id: string }[] }
  outputs?: { model_outputs?: { model_id: string; step?: number }[] }
}

export interface WireLoggedModel {
  info: {
    model_id: string
    name: string
    experiment_id: string
    model_type?: string
    status?: string
    source_run_id?: string
    creation_timestamp_ms?: number
    artifact_uri?: string
  }
  data?: { params?: WireKeyValue[]; metrics?: WireMetric[] }
}

export interface WireFileInfo {
  path: string
  is_dir: boolean
  file_size?: number
}

/** Look up one tag's value. */
export function tagValue(run: WireRun, key: string): string | undefined {
  return run.data.tags?.find((t) => t.key === key)?.value
}

/** Tags that MLflow uses internally (shown in their own places, not in the tag editor). */
export function isSystemTag(key: string): boolean {
  return key.startsWith('mlflow.')
}

/** The display name of a run: its name, else the first 8 characters of its id. */
export function runLabel(info: Pick<WireRunInfo, 'run_id' | 'run_name'>): string {
  return info.run_name || info.run_id.slice(0, 8)
}
