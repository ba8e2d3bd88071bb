import { z } from 'zod'
import { double, int64, keyValue, optString, repeated, reqString, runStatus, viewType } from './fields.ts'

/** Request schemas of MLflow's tracking routes; field names and optionality follow the protos. */

const runRef = { run_id: optString, run_uuid: optString }

export const createExperiment = z.object({
  name: reqString,
  artifact_location: optString,
  tags: z.array(keyValue).optional(),
})
export const experimentId = z.object({ experiment_id: reqString })
export const getExperimentByName = z.object({ experiment_name: reqString })
export const updateExperiment = z.object({ experiment_id: reqString, new_name: optString })
export const setExperimentTag = z.object({
  experiment_id: reqString,
  key: reqString,
  value: z.string().nullish(),
})
export const deleteExperimentTag = z.object({ experiment_id: reqString, key: reqString })
export const searchExperiments = z.object({
  max_results: int64.optional(),
  page_token: optString,
  filter: optString,
  order_by: repeated(z.string()).optional(),
  view_type: viewType.optional(),
})

export const createRun = z.object({
  experiment_id: optString,
  user_id: optString,
  run_name: optString,
  start_time: int64.optional(),
  tags: z.array(keyValue).optional(),
})
export const updateRun = z.object({
  ...runRef,
  status: runStatus.optional(),
  end_time: int64.optional(),
  run_name: optString,
})
export const runIdOnly = z.object({ run_id: reqString })
export const getRun = z.object(runRef)
/** The fields of one metric point, shared by log-metric and log-batch. */
const metricFields = {
  key: reqString,
  value: double,
  timestamp: int64,
  step: int64.optional(),
  model_id: optString,
  dataset_name: optString,
  dataset_digest: optString,
}
export const logMetric = z.object({ ...runRef, ...metricFields })
export const logParam = z.object({ ...runRef, key: reqString, value: z.string().nullish() })
export const setTag = z.object({ ...runRef, key: reqString, value: z.string().nullish() })
export const deleteTag = z.object({ run_id: reqString, key: reqString })

export const batchMetric = z.object(metricFields)
export const logBatch = z.object({
  run_id: reqString,
  metrics: z.array(batchMetric).optional(),
  params: z.array(keyValue).optional(),
  tags: z.array(keyValue).optional(),
})

const dataset = z.object({
  name: reqString,
  digest: reqString,
  source_type: reqString,
  source: reqString,
  schema: optString,
  profile: optString,
})
export const logInputs = z.object({
  run_id: reqString,
  datasets: z.array(z.object({ tags: z.array(keyValue).optional(), dataset })).optional(),
  models: z.array(z.object({ model_id: reqString })).optional(),
})
export const logOutputs = z.object({
  run_id: reqString,
  models: z.array(z.object({ model_id: reqString, step: int64.optional() })).optional(),
})

export const searchRuns = z.object({
  experiment_ids: repeated(z.string()).optional(),
  filter: optString,
  run_view_type: viewType.optional(),
  max_results: int64.optional(),
  order_by: repeated(z.string()).optional(),
  page_token: optString,
})

export const getMetricHistory = z.object({
  ...runRef,
  metric_key: reqString,
  page_token: optString,
  max_results: int64.optional(),
})
export const getMetricHistoryBulkInterval = z.object({
  run_ids: repeated(z.string()).optional(),
  metric_key: reqString,
  start_step: int64.optional(),
  end_step: int64.optional(),
  max_results: int64.optional(),
})

export const searchDatasets = z.object({ experiment_ids: repeated(z.string()).optional() })

export type CreateExperimentRequest = z.output<typeof createExperiment>
export type SearchRunsRequest = z.output<typeof searchRuns>
export type LogBatchRequest = z.output<typeof logBatch>
export type LogInputsRequest = z.output<typeof logInputs>
