import type { Generated } from 'kysely'

/**
 * Table types of migration 0002 (logged models and the model registry). Children key on integer
 * surrogates, like the tracking tables: renaming a registered model rewrites one row.
 */
export interface ModelTables {
  logged_models: {
    id: Generated<number>
    /** Public id, `m-` + 32 hex characters. */
    model_id: string
    experiment_id: number
    name: string
    model_type: string | null
    source_run_id: string | null
    /** LoggedModelStatus name, e.g. LOGGED_MODEL_READY (filters compare names, not proto numbers). */
    status: string
    status_message: string | null
    artifact_location: string
    lifecycle_stage: string
    creation_timestamp_ms: number
    last_updated_timestamp_ms: number
    creator: string | null
  }
  logged_model_tags: { model_id: number; key: string; value: string }
  logged_model_params: { model_id: number; key: string; value: string }
  logged_model_metrics: {
    model_id: number
    key: string
    value: number
    is_nan: number
    timestamp: number
    step: number
    /** Public run id, '' when the point has none. */
    run_id: string
    /** '' when absent: part of the primary key, so never NULL. */
    dataset_name: string
    dataset_digest: string
  }
  registered_models: {
    id: Generated<number>
    name: string
    description: string | null
    creation_time: number
    last_updated_time: number
  }
  registered_model_tags: { registered_model_id: number; key: string; value: string }
  registered_model_aliases: { registered_model_id: number; alias: string; version: number }
  model_versions: {
    registered_model_id: number
    version: number
    creation_time: number
    last_updated_time: number
    user_id: string | null
    /** None, Staging, Production, Archived, or Deleted_Internal for soft-deleted versions. */
    current_stage: string
    description: string | null
    source: string
    storage_location: string | null
    run_id: string | null
    run_link: string | null
    status: string
    status_message: string | null
    model_id: string | null
  }
  model_version_tags: { registered_model_id: number; version: number; key: string; value: string }
}
