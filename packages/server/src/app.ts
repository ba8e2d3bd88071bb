import { Hono } from 'hono'
import type { ArtifactStore } from '@logbook/artifacts'
import type { LogbookStore } from '@logbook/store'
import { installSecurity, type AuthConfig, type SecurityConfig } from './auth/index.ts'
import { notFoundRoute, onError } from './middleware/errors.ts'
import { artifactProxyRoutes } from './routes/artifact-proxy.ts'
import { experimentRoutes } from './routes/experiments.ts'
import { gcRoutes } from './routes/gc.ts'
import { loggedModelRoutes } from './routes/logged-models.ts'
import { metricRoutes } from './routes/metrics.ts'
import { registryRoutes } from './routes/registry.ts'
import { runArtifactRoutes } from './routes/run-artifacts.ts'
import { runRoutes } from './routes/runs.ts'
import { metricColumnRoutes } from './routes/metric-columns.ts'
import { uiStaticRoutes } from './routes/ui-static.ts'
import { uiSupportRoutes } from './routes/ui-support.ts'
import { json } from './rpc.ts'

export interface AppConfig {
  /** Reported by GET /version; below 3.4 so MLflow's client does not try OTLP span export. */
  version: string
  /** Host allow-list and CORS origins (docs/decisions/0005); defaults protect a laptop server. */
  security?: SecurityConfig
  /** Authentication and permissions; absent = off (`logbook server --auth` turns it on). */
  auth?: AuthConfig
}

export interface AppDeps {
  store: LogbookStore
  config: AppConfig
  /** Where proxied artifacts live; without it the mlflow-artifacts routes answer 404. */
  artifacts?: ArtifactStore
  /** A built web UI (packages/ui/dist) to serve at `/`; without it `/` answers the JSON 404. */
  uiDir?: string
}

/** Build the Web-standard fetch app; tests call `app.request()` without a socket. */
export function createApp({ store, config, artifacts, uiDir }: AppDeps): Hono {
  const app = new Hono()
  app.onError(onError)
  app.notFound(notFoundRoute)
  // Before every route: the auth middleware must see each request first.
  installSecurity(app, store, config.security, config.auth)
  app.get('/health', (c) => c.text('OK'))
  app.get('/version', (c) => c.text(config.version))
  for (const prefix of ['/api/3.0/mlflow', '/ajax-api/3.0/mlflow']) {
    app.get(`${prefix}/server-info`, () => json({ store_type: 'SqlStore', workspaces_enabled: false }))
  }
  experimentRoutes(app, store)
  runRoutes(app, store)
  metricColumnRoutes(app, store)
  metricRoutes(app, store)
  loggedModelRoutes(app, store, artifacts)
  registryRoutes(app, store)
  gcRoutes(app, store, artifacts)
  uiSupportRoutes(app, store)
  if (artifacts !== undefined) {
    artifactProxyRoutes(app, artifacts)
    runArtifactRoutes(app, store, artifacts)
  }
  if (uiDir !== undefined) uiStaticRoutes(app, uiDir)
  return app
}
