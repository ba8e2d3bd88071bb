import type { Hono } from 'hono'
import { METRIC_COLUMNS_MAX_POINTS, METRIC_COLUMNS_TYPE, MlflowError, decodeMetricColumns, invalidParam } from '@logbook/core'
import type { TrackingStore } from '@logbook/store'
import { LOGBOOK_PREFIXES, json } from '../rpc.ts'

/** Largest body: the point cap at 28 bytes a point, plus room for the keys. */
const MAX_BODY = METRIC_COLUMNS_MAX_POINTS * 28 + 4 * 1024 * 1024

/**
 * Logbook's binary metric batch (core/metric-columns.ts), the TypeScript SDK's ingest path:
 * `POST /api/2.0/logbook/runs/log-metrics?run_id=<id>`. Its content type is not one a form can
 * send, so a cross-site page cannot post it without a CORS preflight (the JSON rule's purpose).
 */
export function metricColumnRoutes(app: Hono, store: TrackingStore): void {
  for (const prefix of LOGBOOK_PREFIXES) {
    app.post(`${prefix}/runs/log-metrics`, async (c) => {
      const type = c.req.header('content-type')?.split(';')[0]?.trim().toLowerCase()
      if (type !== METRIC_COLUMNS_TYPE) throw invalidParam(`Bad Request. Content-Type must be '${METRIC_COLUMNS_TYPE}'.`)
      const runId = c.req.query('run_id')
      if (!runId) throw invalidParam("Missing value for required parameter 'run_id'. See the API docs for more information about request parameters.")
      if (Number(c.req.header('content-length') ?? 0) > MAX_BODY) {
        throw new MlflowError('INVALID_PARAMETER_VALUE', `Request body exceeds the limit of ${MAX_BODY} bytes.`)
      }
      const body = await c.req.arrayBuffer()
      if (body.byteLength > MAX_BODY) throw invalidParam(`Request body exceeds the limit of ${MAX_BODY} bytes.`)
      await store.logMetrics(runId, decodeMetricColumns(body))
      return json({})
    })
  }
}
