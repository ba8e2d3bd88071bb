import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { createApp, hasUiBuild, listen, close } from '@logbook/server'
import { STORAGE_HELP, STORAGE_OPTIONS, openStorage, redact } from '../storage-options.ts'
import { VERSION } from '../version.ts'
import { parseWorkers, shouldSupervise, superviseWorkers } from './server-workers.ts'
import { AUTH_HELP, AUTH_OPTIONS, bootstrapAdmin, parseAuthOptions } from './server-auth.ts'

/** The web UI build that `npm start` produces before starting the server. */
export const UI_DIR = fileURLToPath(new URL('../../../ui/dist', import.meta.url))

const HELP = `Usage: logbook server [options]

Start the tracking server (MLflow-compatible REST API).

Options:
  --host <host>                    Interface to bind (default 127.0.0.1)
  --port <port>                    Port (default 5000)
  --workers <n>                    Serve with n processes sharing the port (default 1); use with
                                   PostgreSQL for throughput (SQLite allows one writer at a time)
${STORAGE_HELP}
  --default-artifact-root <uri>    Root for new experiments' artifact locations
                                   (default: mlflow-artifacts:, so clients upload through the server)
${AUTH_HELP}
  -h, --help                       Show this help

Examples:
  logbook server
  logbook server --port 8080 --backend-store-uri postgresql://logbook@127.0.0.1/logbook
`

/** `logbook server`: open the store, serve the API, shut down cleanly on SIGINT/SIGTERM. */
export async function serverCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '5000' },
      workers: { type: 'string', default: '1' },
      ...STORAGE_OPTIONS,
      'default-artifact-root': { type: 'string', default: 'mlflow-artifacts:' },
      ...AUTH_OPTIONS,
      help: { type: 'boolean', short: 'h' },
    },
  })
  if (values.help) {
    process.stdout.write(HELP)
    return 0
  }
  const port = Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`Invalid --port '${values.port}'\n`)
    return 2
  }
  let access: ReturnType<typeof parseAuthOptions>
  try {
    access = parseAuthOptions(values, values.host)
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`)
    return 2
  }
  const workers = parseWorkers(values.workers)
  if (shouldSupervise(workers)) {
    // Migrate once here (under the store's migration lock), then let the workers open the store.
    const opened = await openStorage(values, values['default-artifact-root'])
    if (access.auth) await bootstrapAdmin(opened.store, values, (line) => process.stdout.write(`${line}\n`))
    await opened.store.close()
    return superviseWorkers(workers, (line) => process.stdout.write(`${line}\n`))
  }
  const { store, artifacts, backend, destination } = await openStorage(values, values['default-artifact-root'], { writeThread: true, readAhead: true })
  const uiDir = hasUiBuild(UI_DIR) ? UI_DIR : undefined
  if (!uiDir) process.stdout.write(`No web UI build at ${UI_DIR} (run 'npm run build:ui'); serving the API only\n`)
  if (access.auth) await bootstrapAdmin(store, values, (line) => process.stdout.write(`${line}\n`))
  const app = createApp({ store, artifacts, uiDir, config: { version: VERSION, security: access.security, auth: access.auth } })
  const server = await listen(app, values.host, port)
  const address = server.address()
  const shown = typeof address === 'object' && address ? address.port : port
  process.stdout.write(`Logbook ${VERSION} listening on http://${values.host}:${shown} (store: ${redact(backend)}, artifacts: ${destination}, auth: ${access.auth ? 'on' : 'off'})\n`)
  await new Promise<void>((done) => {
    const stop = (signal: string) => {
      process.stdout.write(`Received ${signal}, shutting down\n`)
      done()
    }
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  })
  await close(server)
  await store.close()
  return 0
}
