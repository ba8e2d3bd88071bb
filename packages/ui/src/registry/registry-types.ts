/** Registry entities as the MLflow routes return them (empty lists are omitted on the wire). */
export interface KeyValue {
  key: string
  value: string
}

export interface ModelVersion {
  name: string
  version: string
  creation_timestamp?: number
  last_updated_timestamp?: number
  user_id?: string
  current_stage?: string
  description?: string
  source?: string
  run_id?: string
  run_link?: string
  status?: string
  status_message?: string
  tags?: KeyValue[]
  aliases?: string[]
  model_id?: string
}

export interface RegisteredModel {
  name: string
  creation_timestamp?: number
  last_updated_timestamp?: number
  user_id?: string
  description?: string
  latest_versions?: ModelVersion[]
  tags?: KeyValue[]
  aliases?: { alias: string; version: string }[]
}

export const STAGES = ['None', 'Staging', 'Production', 'Archived'] as const
