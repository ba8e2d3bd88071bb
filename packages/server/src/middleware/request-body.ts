import type { Context } from 'hono'
import { MlflowError, invalidParam } from '@logbook/core'

/** Largest JSON body accepted: dataset profiles may reach 16 MB in MLflow's limits. */
export const MAX_JSON_BODY = 32 * 1024 * 1024

function queryObject(c: Context): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [key, values] of Object.entries(c.req.queries())) {
    out[key] = values.length === 1 ? values[0] : values
  }
  return out
}

/**
 * The request message of an MLflow RPC: the query string for GET, otherwise a JSON body
 * (required to be application/json on POST, as MLflow's server requires; absent body = {}).
 */
export async function readRequest(c: Context): Promise<unknown> {
  const method = c.req.method
  if (method === 'GET') {
    const q = queryObject(c)
    if (Object.keys(q).length > 0) return q
  }
  if (method === 'POST') {
    const type = c.req.header('content-type')
    if (!type) throw invalidParam('Bad Request. Content-Type header is missing.')
    const media = type.split(';')[0]?.trim().toLowerCase()
    if (media !== 'application/json') {
      // Never echo the header back verbatim into HTML-capable contexts (MLflow CVE-2023-6568).
      throw invalidParam("Bad Request. Content-Type must be one of ['application/json'].")
    }
  }
  const length = Number(c.req.header('content-length') ?? 0)
  if (length > MAX_JSON_BODY) {
    throw new MlflowError('INVALID_PARAMETER_VALUE', `Request body of ${length} bytes exceeds the limit of ${MAX_JSON_BODY} bytes.`)
  }
  const text = await c.req.text()
  if (text.length > MAX_JSON_BODY) throw invalidParam(`Request body exceeds the limit of ${MAX_JSON_BODY} bytes.`)
  if (text.trim() === '') return {}
  let body: unknown
  try {
    body = JSON.parse(text)
    // Legacy clients send a JSON string that itself holds JSON.
    if (typeof body === 'string') body = JSON.parse(body)
  } catch {
    throw new MlflowError('MALFORMED_REQUEST', 'Malformed request body: not valid JSON.')
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new MlflowError('MALFORMED_REQUEST', 'Malformed request body: expected a JSON object.')
  }
  return body
}
