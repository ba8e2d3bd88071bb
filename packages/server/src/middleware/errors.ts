import type { Context } from 'hono'
import { MlflowError, isMlflowError, toWireJson } from '@logbook/core'

/** MLflow's error envelope as a response. */
export function errorResponse(error: MlflowError): Response {
  return new Response(toWireJson(error.toJSON()), {
    status: error.status,
    headers: { 'content-type': 'application/json' },
  })
}

/** Central error handler: MLflow errors keep their code; anything else is a logged, generic 500. */
export function onError(err: unknown, c: Context): Response {
  if (isMlflowError(err)) return errorResponse(new MlflowError(err.code, err.message))
  console.error(`[logbook] internal error on ${c.req.method} ${c.req.path}:`, err)
  return errorResponse(new MlflowError('INTERNAL_ERROR', 'Internal server error'))
}

/** Unknown routes: 404 ENDPOINT_NOT_FOUND, which MLflow's client uses to fall back. */
export function notFoundRoute(c: Context): Response {
  return errorResponse(new MlflowError('ENDPOINT_NOT_FOUND', `No API endpoint for ${c.req.method} ${c.req.path}`))
}
