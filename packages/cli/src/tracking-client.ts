import { LogbookClient, configFromEnv } from '@logbook/sdk'
import type { Args } from './cli-runner.ts'

export const DEFAULT_TRACKING_URI = 'http://127.0.0.1:5000'

/** The server address: `--tracking-uri`, then LOGBOOK_TRACKING_URI, MLFLOW_TRACKING_URI, localhost:5000. */
export function trackingUri(args: Args, env: NodeJS.ProcessEnv = process.env): string {
  return args.string('tracking-uri') || env.LOGBOOK_TRACKING_URI || env.MLFLOW_TRACKING_URI || DEFAULT_TRACKING_URI
}

/**
 * A client for the server named by the options, with MLflow's credential variables. A command
 * line fails fast: two retries on network errors instead of the SDK's eleven seconds.
 */
export function clientFor(args: Args, env: NodeJS.ProcessEnv = process.env): LogbookClient {
  const options = configFromEnv({ ...env, LOGBOOK_TRACKING_URI: trackingUri(args, env) })
  return new LogbookClient({ ...options, retry: { maxRetries: 2, baseDelayMs: 200 } })
}
