import { parseArgs } from 'node:util'
import { close, createApp, hasUiBuild, listen } from '@logbook/server'
import { hasDemoData, seedDemo, type DemoScale, type DemoSummary } from '../demo/seed.ts'
import { STORAGE_HELP, STORAGE_OPTIONS, openStorage, redact } from '../storage-options.ts'
import { VERSION } from '../version.ts'
import { UI_DIR } from './server.ts'

const isNameClash = (e: unknown) => (e as { name?: unknown } | null)?.name === 'DemoNameClashError'

const HELP = `Usage: logbook demo [options]

Fill a store with realistic demo data and serve it, so the web UI shows experiments at once:
three experiments (a CNN sweep with nested runs, a regression, an LLM evaluation), metric
curves, failed and running runs, images and other artifacts, and a registered model with
versions, stages and aliases. Everything is logged through the HTTP API with the TypeScript SDK.
A store that already holds the demo is served as it is; one whose other data uses a demo
experiment or model name is left untouched (exit code 1).

Options:
  --host <host>                    Interface to bind (default 127.0.0.1)
  --port <port>                    Port (default 5000)
${STORAGE_HELP}
  --scale <small|full>             How much to log: 'small' (15 runs, seconds) or
                                   'full' (a few hundred runs; default)
  --no-serve                       Seed the store, then exit instead of serving it
  --tracking-uri <url>             Seed an already running server instead, then exit
  -h, --help                       Show this help

Exit codes: 0 seeded (or already seeded), 1 failure or name clash, 2 bad usage.

Examples:
  logbook demo
  logbook demo --port 8080 --backend-store-uri sqlite:///tmp/demo.db --artifacts-destination /tmp/demo-artifacts
  logbook demo --tracking-uri http://127.0.0.1:5000 --scale small
`

/** A URL this machine can reach a server bound to `host` on. */
function localUrl(host: string, port: number): string {
  if (host === '0.0.0.0' || host === '') return `http://127.0.0.1:${port}`
  if (host === '::') return `http://[::1]:${port}`
  return host.includes(':') ? `http://[${host}]:${port}` : `http://${host}:${port}`
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`

/** What was seeded; with `links`, UI addresses under that base URL, else ids (nothing serves them). */
function report(summary: DemoSummary, links: string | undefined): string {
  const models = [summary.models.classifier, summary.models.regressor]
  const where = (path: string, id: string) => (links ? `${links}${path}` : id)
  const lines = [
    `Seeded ${summary.experiments.length} experiments, ${summary.runCount} runs and ${models.length} registered models in ${(summary.durationMs / 1000).toFixed(1)} s:`,
    ...summary.experiments.map(
      (e) =>
        `  ${e.name.padEnd(24)}${where(`/experiments/${e.id}`, `experiment ${e.id}`)}  (${plural(e.runIds.length, 'run')})`,
    ),
    ...models.map(
      (m) =>
        `  ${m.name.padEnd(24)}${where(`/models/${encodeURIComponent(m.name)}`, 'registered model')}  (${plural(m.versions.length, 'version')})`,
    ),
  ]
  return `${lines.join('\n')}\n`
}

/**
 * Seed the server at `url` unless it already holds the demo; `store` names it in messages. False
 * (after saying why) when other data already uses the demo's names.
 */
async function seedOnce(
  url: string,
  scale: DemoScale,
  store: string,
  links: boolean,
): Promise<boolean> {
  if (await hasDemoData(url)) {
    process.stdout.write(`${store} already holds the demo experiments; nothing seeded\n`)
    return true
  }
  process.stdout.write(`Seeding demo data (${scale}) into ${store} ...\n`)
  try {
    process.stdout.write(report(await seedDemo(url, { scale }), links ? url : undefined))
    return true
  } catch (e) {
    if (!isNameClash(e)) throw e
    process.stderr.write(`logbook: ${(e as Error).message}\n`)
    return false
  }
}

/** Fail fast (instead of the SDK's retries) when nothing answers at `url`. */
async function reachable(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url.replace(/\/+$/, '')}/health`, { signal: AbortSignal.timeout(5000) }))
      .ok
  } catch {
    return false
  }
}

function waitForSignal(): Promise<void> {
  return new Promise((done) => {
    const stop = (signal: string) => {
      process.stdout.write(`Received ${signal}, shutting down\n`)
      done()
    }
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  })
}

/** `logbook demo`: seed demo data into a fresh server (and keep serving it) or into a running one. */
export async function demoCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      host: { type: 'string' },
      port: { type: 'string' },
      ...STORAGE_OPTIONS,
      scale: { type: 'string', default: 'full' },
      'no-serve': { type: 'boolean' },
      'tracking-uri': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  if (values.help) {
    process.stdout.write(HELP)
    return 0
  }
  const scale = values.scale
  if (scale !== 'small' && scale !== 'full') {
    process.stderr.write(`Invalid --scale '${scale}' (expected small or full)\n`)
    return 2
  }
  const target = values['tracking-uri']
  if (target !== undefined) {
    const local = [
      'host',
      'port',
      'backend-store-uri',
      'artifacts-destination',
      'no-serve',
    ] as const
    const clash = local.find((name) => values[name] !== undefined)
    if (clash) {
      process.stderr.write(`--tracking-uri seeds a running server; --${clash} does not apply\n`)
      return 2
    }
    const url = target.replace(/\/+$/, '')
    if (!(await reachable(url))) {
      process.stderr.write(`logbook: no Logbook server answers at ${url}\n`)
      return 1
    }
    return (await seedOnce(url, scale, url, true)) ? 0 : 1
  }
  const host = values.host ?? '127.0.0.1'
  // Without serving, an ephemeral port cannot collide with a server already on 5000.
  const port = Number(values.port ?? (values['no-serve'] ? '0' : '5000'))
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`Invalid --port '${values.port}'\n`)
    return 2
  }
  const { store, artifacts, backend, destination } = await openStorage(values)
  const uiDir = hasUiBuild(UI_DIR) ? UI_DIR : undefined
  const app = createApp({ store, artifacts, uiDir, config: { version: VERSION } })
  const server = await listen(app, host, port)
  try {
    const address = server.address()
    const bound = typeof address === 'object' && address ? address.port : port
    const url = localUrl(host, bound)
    const shown = values['no-serve'] ? redact(backend) : url
    if (!(await seedOnce(url, scale, shown, !values['no-serve']))) return 1
    if (values['no-serve']) return 0
    if (!uiDir)
      process.stdout.write(
        `No web UI build at ${UI_DIR} (run 'npm run build:ui'); serving the API only\n`,
      )
    process.stdout.write(
      `Logbook ${VERSION} listening on http://${host}:${bound} (store: ${redact(backend)}, artifacts: ${destination})\n`,
    )
    await waitForSignal()
    return 0
  } finally {
    await close(server)
    await store.close()
  }
}
