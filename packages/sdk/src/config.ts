import type { LogbookClientOptions } from './client.ts'

/** Environment variables read by the SDK, passed in explicitly so browsers can supply their own. */
export type Env = Record<string, string | undefined>

/** Client options from LOGBOOK_TRACKING_URI / MLFLOW_TRACKING_URI and MLflow's credential variables. */
export function configFromEnv(env: Env): LogbookClientOptions {
  const trackingUri = env.LOGBOOK_TRACKING_URI || env.MLFLOW_TRACKING_URI
  if (!trackingUri) {
    throw new Error(
      'No tracking server: set LOGBOOK_TRACKING_URI or MLFLOW_TRACKING_URI, or pass a client',
    )
  }
  if (!/^https?:\/\//.test(trackingUri)) {
    throw new Error(`The SDK talks HTTP only; tracking URI '${trackingUri}' is not an http(s) URL`)
  }
  const options: LogbookClientOptions = { trackingUri }
  if (env.MLFLOW_TRACKING_TOKEN) options.token = env.MLFLOW_TRACKING_TOKEN
  else if (env.MLFLOW_TRACKING_USERNAME && env.MLFLOW_TRACKING_PASSWORD !== undefined) {
    options.username = env.MLFLOW_TRACKING_USERNAME
    options.password = env.MLFLOW_TRACKING_PASSWORD
  }
  return options
}
