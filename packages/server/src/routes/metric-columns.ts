import type { Hono } from 'hono'
import { METRIC_COLUMNS_MAX_POINTS, decodeMetricColumns, invalidParam } from '@logbook/core'
import type { TrackingStore } from '@logbook/store'
import { LOGBOOK_PREFIXES, json } from '../rpc.ts'

/** Largest body: the point cap at 28 bytes a point, plus room for the keys. */
const MAX_BODY = METRIC_COLUMNS_MAX_POINTS * 28 + 4 * 1024 * 1024

/**
 * Logbook's binary metric batch (core/metric-columns.ts), the TypeScript SDK's ingest path:
 * `POST /api/2.0/logbook/runs/log-metrics?run_id=<id>`. Its content type is required by the
 * security middleware (auth/security.ts), like JSON on every other API call.
 */
export function metricColumnRoutes(app: Hono, store: TrackingStore): void {
  for (const prefix of LOGBOOK_PREFIXES) {
    app.post(`${prefix}/runs/log-metrics`, async (c) => {
      const runId = c.req.query('run_id')
      if (!runId) throw invalidParam("Missing value for required parameter 'run_id'. See the API docs for more information about request parameters.")
      const tooLong = () => invalidParam(`Request body exceeds the limit of ${MAX_BODY} bytes.`)
      if (Number(c.req.header('content-length') ?? 0) > MAX_BODY) throw tooLong()
      const body = await c.req.arrayBuffer()
      if (body.byteLength > MAX_BODY) throw tooLong()
      await store.logMetrics(runId, decodeMetricColumns(body))
      return json({})
    })
  }
}
