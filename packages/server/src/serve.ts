import { serve, type ServerType } from '@hono/node-server'
import type { Hono } from 'hono'

/** Listen on host:port with Node's HTTP server; resolves once listening. */
export function listen(app: Hono, host: string, port: number): Promise<ServerType> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, hostname: host, port }, () => resolve(server))
    server.once('error', reject)
  })
}

/** Stop accepting connections and wait for in-flight requests to finish. */
export function close(server: ServerType): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve())
    if ('closeIdleConnections' in server) server.closeIdleConnections()
  })
}
