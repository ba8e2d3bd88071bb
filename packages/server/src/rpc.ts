import type { Context, Hono } from 'hono'
import { parseRequest, toWireJson } from '@logbook/core'
import type { z } from 'zod'
import { readRequest } from './middleware/request-body.ts'

export type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE'

/** Every MLflow RPC is served under both prefixes: the client's /api and the UI's /ajax-api. */
export const API_PREFIXES = ['/api/2.0/mlflow', '/ajax-api/2.0/mlflow'] as const

/** A JSON response with MLflow's encoding (non-finite doubles as strings, empty lists omitted). */
export function json(body: unknown): Response {
  return new Response(toWireJson(body), { status: 200, headers: { 'content-type': 'application/json' } })
}

/** Register an RPC: parse the request with a core schema, run the handler, answer JSON. */
export function rpc<S extends z.ZodType>(
  app: Hono,
  method: Method,
  path: string,
  schema: S,
  handler: (req: z.output<S>, c: Context) => Promise<unknown>,
): void {
  for (const prefix of API_PREFIXES) {
    app.on(method, `${prefix}${path}`, async (c) => {
      const req = parseRequest(schema, await readRequest(c))
      const body = await handler(req, c)
      return body instanceof Response ? body : json(body ?? {})
    })
  }
}
