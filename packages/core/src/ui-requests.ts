import { z } from 'zod'
import { bool, double, int64, optString, repeated, reqString, viewType } from './fields.ts'

/** Request schemas of Logbook's own routes for the web UI (/work UI-API.md; docs/architecture.md). */

/** Keys per column kind a runs-table page may ask for. */
export const UI_MAX_COLUMNS = 500
/** Runs per metrics/sampled request. */
export const UI_MAX_SAMPLED_RUNS = 100
/** Buckets per series. */
export const UI_MAX_BUCKETS = 5000
/** Runs per runs-table page. */
export const UI_MAX_TABLE_PAGE = 1000
/** Metrics aggregated per group-by request. */
export const UI_MAX_GROUP_METRICS = 100

const experimentIds = repeated(z.string()).pipe(z.array(z.string()).min(1))
const keyList = z.array(z.string()).max(UI_MAX_COLUMNS).optional()
/** An integer within bounds, given as a JSON number or numeric string. */
const boundedInt = (min: number, max: number) => int64.pipe(z.number().min(min).max(max))
/** A finite x bound; charts zoom to fractional positions. */
const xBound = double.pipe(z.number().finite())

export const runsTable = z.object({
  experiment_ids: experimentIds,
  filter: optString,
  order_by: repeated(z.string()).optional(),
  run_view_type: viewType.optional(),
  max_results: boundedInt(1, UI_MAX_TABLE_PAGE).optional(),
  page_token: optString,
  columns: z.object({ params: keyList, metrics: keyList, tags: keyList }).optional(),
  parents_only: bool.optional(),
})

export const runGroups = z.object({
  experiment_ids: experimentIds,
  filter: optString,
  run_view_type: viewType.optional(),
  group_by: reqString,
  metrics: z.array(z.string()).max(UI_MAX_GROUP_METRICS).optional(),
})

export const experimentKeys = z.object({ experiment_ids: experimentIds })

export const sampledMetrics = z.object({
  run_ids: repeated(z.string()).pipe(z.array(z.string()).min(1).max(UI_MAX_SAMPLED_RUNS)),
  metric_key: reqString,
  x_axis: z.enum(['step', 'timestamp']).optional(),
  buckets: boundedInt(1, UI_MAX_BUCKETS).optional(),
  min_x: xBound.optional(),
  max_x: xBound.optional(),
})

export type RunsTableRequest = z.output<typeof runsTable>
export type SampledMetricsRequest = z.output<typeof sampledMetrics>
