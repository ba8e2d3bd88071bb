import type { Hono } from 'hono'
import { encodeMetricArray, invalidParam, metricPageJson, requests as r } from '@logbook/core'
import type { TrackingStore } from '@logbook/store'
import { jsonText, rpc } from '../rpc.ts'
import { runIdOf } from './runs.ts'

const BULK_MAX_RUNS = 100
const BULK_MAX_RESULTS = 2500

/** Metric history routes. */
export function metricRoutes(app: Hono, store: TrackingStore): void {
  rpc(app, 'GET', '/metrics/get-history', r.getMetricHistory, async (req) => {
    if (req.max_results !== undefined && req.max_results < 0) {
      throw invalidParam(`Invalid value ${req.max_results} for parameter 'max_results' supplied.`)
    }
    const page = await store.getMetricHistoryJson(runIdOf(req), req.metric_key, req.max_results, req.page_token)
    return jsonText(metricPageJson(page.metricsJson, page.nextPageToken))
  })
  rpc(app, 'GET', '/metrics/get-history-bulk-interval', r.getMetricHistoryBulkInterval, async (req) => {
    const runIds = req.run_ids ?? []
    if (runIds.length === 0) throw invalidParam('GetMetricHistoryBulkInterval request must specify at least one run_id.')
    if (runIds.length > BULK_MAX_RUNS) {
      throw invalidParam(`GetMetricHistoryBulkInterval request cannot specify more than ${BULK_MAX_RUNS} run_ids. Received ${runIds.length} run_ids.`)
    }
    const max = req.max_results ?? BULK_MAX_RESULTS
    if (max < 1 || max > BULK_MAX_RESULTS) throw invalidParam(`max_results must be between 1 and ${BULK_MAX_RESULTS}.`)
    const { start_step: start, end_step: end } = req
    if ((start === undefined) !== (end === undefined)) {
      throw invalidParam('If either start step or end step are specified, both must be specified.')
    }
    if (start !== undefined && end !== undefined && start > end) throw invalidParam('end_step must be greater than start_step.')
    const range = start !== undefined && end !== undefined ? { start, end } : undefined
    return jsonText(metricPageJson(encodeMetricArray(await store.getMetricHistoryBulkInterval(runIds, req.metric_key, max, range))))
  })
}
