/** Opening a client for a transfer's server end, with a clear message when it cannot be reached. */
import { LogbookClient, configFromEnv } from '@logbook/sdk'

/** A transfer failure worth a one-line message and exit code 1 (no stack trace). */
export class TransferError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'TransferError'
  }
}

/** The tracking URI from a flag, else LOGBOOK_TRACKING_URI / MLFLOW_TRACKING_URI. */
export function trackingUri(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return flag ?? (env.LOGBOOK_TRACKING_URI || env.MLFLOW_TRACKING_URI || undefined)
}

/**
 * A client for `url` (credentials from MLFLOW_TRACKING_TOKEN or _USERNAME/_PASSWORD), after one
 * unretried `/health` request, so an unreachable server fails in seconds with its address named.
 */
export async function connect(url: string, role: string, env: NodeJS.ProcessEnv = process.env): Promise<LogbookClient> {
  if (!/^https?:\/\//.test(url)) throw new TransferError(`The ${role} '${url}' is not an http(s) URL`)
  const options = { ...configFromEnv({ ...env, LOGBOOK_TRACKING_URI: url }), trackingUri: url }
  const client = new LogbookClient(options)
  try {
    await client.transport.request('GET', '/health', undefined, { maxRetries: 0 })
  } catch (e) {
    throw new TransferError(`Cannot reach the ${role} at ${url}: ${(e as Error).message}`, { cause: e })
  }
  return client
}
