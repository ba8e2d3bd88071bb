import { parseArgs } from 'node:util'
import { resolve } from 'node:path'
import { openArtifactStore } from '@logbook/artifacts'
import { createApp, listen, close } from '@logbook/server'
import { openTrackingStore } from '@logbook/store'
import { VERSION } from '../version.ts'

const HELP = `Usage: logbook server [options]

Start the tracking server (MLflow-compatible REST API).

Options:
  --host <host>                    Interface to bind (default 127.0.0.1)
  --port <port>                    Port (default 5000)
  --backend-store-uri <uri>        sqlite:///path/to.db, postgresql://user@host/db, or a file path
                                   (default: sqlite:///./logbook-data/logbook.db)
  --default-artifact-root <uri>    Root for new experiments' artifact locations
                                   (default: mlflow-artifacts:, so clients upload through the server)
  --artifacts-destination <uri>    Where the server stores proxied artifacts: a folder,
                                   file:///path or s3://bucket/prefix (S3 settings from
                                   MLFLOW_S3_ENDPOINT_URL / AWS_* variables)
                                   (default: ./logbook-data/artifacts)
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
      'backend-store-uri': { type: 'string' },
      'default-artifact-root': { type: 'string', default: 'mlflow-artifacts:' },
      'artifacts-destination': { type: 'string' },
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
  const dataDir = resolve('logbook-data')
  const backend = values['backend-store-uri'] ?? `sqlite:///${dataDir}/logbook.db`
  const store = await openTrackingStore(backend, { defaultArtifactRoot: values['default-artifact-root'] })
  const destination = values['artifacts-destination'] ?? `${dataDir}/artifacts`
  const artifacts = await openArtifactStore(destination)
  const app = createApp({ store, artifacts, config: { version: VERSION } })
  const server = await listen(app, values.host, port)
  const address = server.address()
  const shown = typeof address === 'object' && address ? address.port : port
  process.stdout.write(`Logbook ${VERSION} listening on http://${values.host}:${shown} (store: ${backend.replace(/:[^:@/]*@/, ':***@')}, artifacts: ${destination})\n`)
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
