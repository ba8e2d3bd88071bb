import { Hono } from 'hono'
import type { TrackingStore } from '@logbook/store'
import { notFoundRoute, onError } from './middleware/errors.ts'
import { experimentRoutes } from './routes/experiments.ts'
import { metricRoutes } from './routes/metrics.ts'
import { runRoutes } from './routes/runs.ts'
import { json } from './rpc.ts'

export interface AppConfig {
  /** Reported by GET /version; below 3.4 so MLflow's client does not try OTLP span export. */
  version: string
}

export interface AppDeps {
  store: TrackingStore
  config: AppConfig
}

/** Build the Web-standard fetch app; tests call `app.request()` without a socket. */
export function createApp({ store, config }: AppDeps): Hono {
  const app = new Hono()
  app.onError(onError)
  app.notFound(notFoundRoute)
  app.get('/health', (c) => c.text('OK'))
  app.get('/version', (c) => c.text(config.version))
  for (const prefix of ['/api/3.0/mlflow', '/ajax-api/3.0/mlflow']) {
    app.get(`${prefix}/server-info`, () => json({ store_type: 'SqlStore', workspaces_enabled: false }))
  }
  experimentRoutes(app, store)
  runRoutes(app, store)
  metricRoutes(app, store)
  return app
}
