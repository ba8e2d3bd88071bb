import type { Context, Hono } from 'hono'
import { parseRequest, toWireJson } from '@logbook/core'
import type { z } from 'zod'
import { readRequest } from './middleware/request-body.ts'

export type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE'

/** Every MLflow RPC is served under both prefixes: the client's /api and the UI's /ajax-api. */
export const API_PREFIXES = ['/api/2.0/mlflow', '/ajax-api/2.0/mlflow'] as const

/** Logbook's own routes (beyond MLflow's API), mirrored the same way. */
export const LOGBOOK_PREFIXES = ['/api/2.0/logbook', '/ajax-api/2.0/logbook'] as const

/** A JSON response with MLflow's encoding (non-finite doubles as strings, empty lists omitted). */
export function json(body: unknown): Response {
  return jsonText(toWireJson(body))
}

/** A JSON response from an already-encoded body. */
export function jsonText(body: string): Response {
  return new Response(body, { status: 200, headers: { 'content-type': 'application/json' } })
}

/** Register an RPC that validates its own request message (hot paths). */
export function rpcRaw(
  app: Hono,
  method: Method,
  path: string,
  handler: (body: unknown, c: Context) => Promise<unknown>,
  prefixes: readonly string[] = API_PREFIXES,
): void {
  for (const prefix of prefixes) {
    app.on(method, `${prefix}${path}`, async (c) => {
      const result = await handler(await readRequest(c), c)
      return result instanceof Response ? result : json(result ?? {})
    })
  }
}

/** Register an RPC: parse the request with a core schema, run the handler, answer JSON. */
export function rpc<S extends z.ZodType>(
  app: Hono,
  method: Method,
  path: string,
  schema: S,
  handler: (req: z.output<S>, c: Context) => Promise<unknown>,
  prefixes: readonly string[] = API_PREFIXES,
): void {
  rpcRaw(app, method, path, (body, c) => handler(parseRequest(schema, body), c), prefixes)
}
