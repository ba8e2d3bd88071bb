import type { Generated } from 'kysely'
import type { ModelTables } from './models-schema.ts'

/** Table types for Kysely; integer surrogate keys in the hot tables (docs/decisions/0002). */
export interface Database extends ModelTables {
  schema_migrations: { version: number; name: string; applied_at: number }
  experiments: {
    experiment_id: Generated<number>
    name: string
    artifact_location: string
    lifecycle_stage: string
    creation_time: number
    last_update_time: number
    deleted_time: number | null
  }
  experiment_tags: { experiment_id: number; key: string; value: string }
  runs: {
    id: Generated<number>
    run_uuid: string
    experiment_id: number
    name: string
    user_id: string
    status: string
    start_time: number
    end_time: number | null
    artifact_uri: string
    lifecycle_stage: string
    deleted_time: number | null
  }
  params: { run_id: number; key: string; value: string }
  tags: { run_id: number; key: string; value: string }
  metric_keys: { id: Generated<number>; key: string }
  /** Metric points, the points of one series, block and write to a row (migration 0009, sql/point-chunks.ts). */
  metric_chunks: { run_id: number; key_id: number; block: number; seq: number; data: Uint8Array }
  latest_metrics: {
    run_id: number
    key_id: number
    step: number
    timestamp: number
    value: number
    is_nan: number
    min_value: number | null
    max_value: number | null
    ordered: number
  }
  /** Per-block summaries of each series (migration 0006, maintained by sql/metric-blocks.ts). */
  metric_blocks: {
    run_id: number
    key_id: number
    block: number
    first_step: number
    min_value: number | null
    max_value: number | null
    count: number
    last_step: number
    last_timestamp: number
    last_value: number
    last_is_nan: number
    /** Rows of metric_chunks in the block (migration 0009); compacted into one past a bound. */
    chunks: number
  }
  /** Summaries over blocks of 4 fine blocks, packed 16 to a page (migrations 0007-0008, sql/block-pages.ts). */
  metric_block_pages: { run_id: number; key_id: number; page: number; data: Uint8Array }
  datasets: {
    id: Generated<number>
    experiment_id: number
    name: string
    digest: string
    source_type: string
    source: string
    schema: string | null
    profile: string | null
  }
  inputs: { run_id: number; dataset_id: number }
  input_tags: { run_id: number; dataset_id: number; key: string; value: string }
  run_model_inputs: { run_id: number; model_id: string }
  run_model_outputs: { run_id: number; model_id: string; step: number }
  /** Distinct keys per experiment for the UI (migration 0003); kind is 'param', 'metric' or 'tag'. */
  experiment_keys: { experiment_id: number; kind: string; key: string }
}

/** A metric point ready for the hot insert path. */
export interface MetricRow {
  runId: number
  keyId: number
  step: number
  timestamp: number
  value: number
  isNan: 0 | 1
}
