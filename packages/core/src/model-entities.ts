import type { KeyValue } from './entities.ts'
import { invalidParam } from './errors.ts'

/** Logged-model and registry types as they travel on MLflow's wire (snake_case, ids as strings). */

/** LoggedModelStatus names in proto order (0-based: UNSPECIFIED = 0). */
export const LOGGED_MODEL_STATUSES = [
  'LOGGED_MODEL_STATUS_UNSPECIFIED',
  'LOGGED_MODEL_PENDING',
  'LOGGED_MODEL_READY',
  'LOGGED_MODEL_UPLOAD_FAILED',
] as const
export type LoggedModelStatus = (typeof LOGGED_MODEL_STATUSES)[number]

/** A metric point attached to a logged model (MLflow's Metric message with its optional fields). */
export interface ModelMetric {
  key: string
  value: number
  timestamp: number
  step: number
  dataset_name?: string
  dataset_digest?: string
  model_id?: string
  run_id?: string
}

export interface LoggedModelInfo {
  model_id: string
  experiment_id: string
  name: string
  artifact_uri: string
  creation_timestamp_ms: number
  last_updated_timestamp_ms: number
  status: LoggedModelStatus
  model_type?: string
  source_run_id?: string
  status_message?: string
  tags: KeyValue[]
}

export interface LoggedModel {
  info: LoggedModelInfo
  data: { params: KeyValue[]; metrics: ModelMetric[] }
}

/** Registry stages in MLflow's canonical spelling. */
export const MODEL_VERSION_STAGES = ['None', 'Staging', 'Production', 'Archived'] as const
export type ModelVersionStage = (typeof MODEL_VERSION_STAGES)[number]
/** ModelVersionStatus names in proto order (1-based). */
export const MODEL_VERSION_STATUSES = [
  'PENDING_REGISTRATION',
  'FAILED_REGISTRATION',
  'READY',
] as const
export type ModelVersionStatus = (typeof MODEL_VERSION_STATUSES)[number]

export interface ModelVersion {
  name: string
  /** The version number as a string, e.g. "1". */
  version: string
  creation_timestamp: number
  last_updated_timestamp: number
  user_id?: string
  current_stage: ModelVersionStage
  description?: string
  source: string
  run_id?: string
  run_link?: string
  status: ModelVersionStatus
  status_message?: string
  tags: KeyValue[]
  aliases: string[]
  model_id?: string
}

export interface RegisteredModelAlias {
  alias: string
  version: string
}

export interface RegisteredModel {
  name: string
  creation_timestamp: number
  last_updated_timestamp: number
  description?: string
  latest_versions: ModelVersion[]
  tags: KeyValue[]
  aliases: RegisteredModelAlias[]
}

/** Tag that marks a registered model (and its versions) as a prompt. */
export const TAG_IS_PROMPT = 'mlflow.prompt.is_prompt'
/** Logged-model tag listing the registry versions made from the model, as a JSON list. */
export const TAG_MODEL_VERSIONS = 'mlflow.modelVersions'

/** Canonical spelling of a stage given in any case; 400 for anything else, as MLflow. */
export function canonicalStage(stage: string): ModelVersionStage {
  const found = MODEL_VERSION_STAGES.find((s) => s.toLowerCase() === stage.toLowerCase())
  if (found === undefined) {
    throw invalidParam(
      `Invalid Model Version stage: ${stage}. Value must be one of ${MODEL_VERSION_STAGES.join(', ')}.`,
    )
  }
  return found
}
