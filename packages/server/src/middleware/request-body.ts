import type { Context } from 'hono'
import { MlflowError, invalidParam, type Metric } from '@logbook/core'
import { parseWorker, type ParseResult } from './parse-worker.ts'

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
  checkJsonBody(c)
  const text = await c.req.text()
  if (text.length > MAX_JSON_BODY) throw invalidParam(`Request body exceeds the limit of ${MAX_JSON_BODY} bytes.`)
  if (text.trim() === '') return {}
  let body: unknown
  try {
    body = JSON.parse(text)
    // Legacy clients send a JSON string that itself holds JSON.
    if (typeof body === 'string') body = JSON.parse(body)
  } catch {
    throw malformed()
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw notAnObject()
  return body
}

const malformed = () => new MlflowError('MALFORMED_REQUEST', 'Malformed request body: not valid JSON.')
const notAnObject = () => new MlflowError('MALFORMED_REQUEST', 'Malformed request body: expected a JSON object.')

/** Bodies from this size on are parsed on the parse worker (smaller ones are not worth the trip). */
const OFFLOAD_BYTES = 32 * 1024

/**
 * A log-batch request: like readRequest, but a large body is parsed on the parse worker and its
 * metrics come back as columns, rebuilt here as plain metric objects (the route checks them again).
 */
export async function readBatchRequest(c: Context): Promise<unknown> {
  if (c.req.method !== 'POST' || Number(c.req.header('content-length') ?? 0) < OFFLOAD_BYTES) return readRequest(c)
  checkJsonBody(c)
  const bytes = new Uint8Array(await c.req.arrayBuffer())
  if (bytes.byteLength > MAX_JSON_BODY) throw invalidParam(`Request body exceeds the limit of ${MAX_JSON_BODY} bytes.`)
  let parsed: ParseResult
  try {
    parsed = await parseWorker.parse(bytes)
  } catch {
    // The worker died with the body (transferred to it): the client's retry will find a new one.
    throw new MlflowError('TEMPORARILY_UNAVAILABLE', 'The request could not be parsed; please retry.')
  }
  if ('error' in parsed) throw parsed.error === 'malformed' ? malformed() : notAnObject()
  const { body, cols } = parsed
  if (cols) {
    const metrics = new Array<Metric>(cols.values.length)
    for (let i = 0; i < metrics.length; i++) {
      metrics[i] = { key: cols.keys[cols.keyIndex[i] as number] as string, value: cols.values[i] as number, timestamp: cols.timestamps[i] as number, step: cols.steps[i] as number }
    }
    body.metrics = metrics
  }
  return body
}

/** POST bodies must be JSON (MLflow's rule) and within the size limit. */
function checkJsonBody(c: Context): void {
  const method = c.req.method
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
}
