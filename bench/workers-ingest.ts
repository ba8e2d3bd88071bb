/**
 * `npm run bench:workers`: log-batch ingest on PostgreSQL with Logbook at 1, 2 and 4 processes
 * (`--workers N`), next to MLflow's own server (its default 4 uvicorn workers) on the same PostgreSQL
 * cluster, each on a fresh database. Writes bench/results/<timestamp>-workers.json and prints a table.
 */
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { HttpClient, createExperiment } from './http-client.ts'
import { runIngest, type IngestResult } from './phases/ingest.ts'
import { startPgCluster } from './postgres.ts'
import { waitForQuiet } from './proc.ts'
import { startLogbook, startMlflow, type ServerHandle } from './servers.ts'
import { round } from './stats.ts'

const root = resolve(import.meta.dirname, '..')
const log = (m: string): void => void process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${m}\n`)

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: { quick: { type: 'boolean' }, workers: { type: 'string', default: '1,2,4' }, 'logbook-only': { type: 'boolean' } },
})
const durationMs = values.quick ? 4_000 : 20_000
const clients = 8
const workerCounts = values.workers!.split(',').map(Number)

interface Row {
  server: string
  processes: number
  result: IngestResult
}

async function measure(label: string, processes: number, server: ServerHandle, dbRoot: number | undefined): Promise<Row> {
  await waitForQuiet(values.quick ? 10_000 : 180_000, log, server.pids(), dbRoot)
  const http = new HttpClient(server.port, 2)
  const experimentId = await createExperiment(http, `ingest-${label}`)
  const result = await runIngest({
    port: server.port,
    experimentId,
    clients,
    keys: 10,
    stepsPerKey: 100,
    durationMs,
    serverPids: server.pids(),
    dbRoot,
    label,
  })
  log(`${label}: ${round(result.pointsPerSec, 0)} points/s, p50 ${result.latencyMs.p50} ms, errors ${result.errors}`)
  return { server: label, processes, result }
}

async function main(): Promise<void> {
  const stateDir = mkdtempSync('/tmp/lbw-')
  chmodSync(stateDir, 0o755)
  const logDir = join(root, 'bench/results/logs')
  const pg = await startPgCluster(root, join(stateDir, 'pg'))
  const rows: Row[] = []
  try {
    for (const n of workerCounts) {
      const storeUri = await pg.createDatabase(`logbook_w${n}`)
      const dataDir = join(stateDir, `lb${n}`)
      mkdirSync(dataDir, { recursive: true })
      const server = await startLogbook({ root, storeUri, dataDir, logDir, extraArgs: ['--workers', String(n)] })
      try {
        rows.push(await measure(`logbook x${n}`, n, server, pg.pid()))
      } finally {
        await server.stop()
      }
    }
    if (!values['logbook-only']) {
      // SQLAlchemy 2.1 maps plain postgresql:// to psycopg 3; the venv has psycopg2, so name it.
      const storeUri = (await pg.createDatabase('mlflow_ref')).replace(/^postgresql:/, 'postgresql+psycopg2:')
      const dataDir = join(stateDir, 'mlflow')
      mkdirSync(dataDir, { recursive: true })
      const server = await startMlflow({ root, storeUri, dataDir, logDir })
      try {
        rows.push(await measure('mlflow (4 workers, its default)', 4, server, pg.pid()))
      } finally {
        await server.stop()
      }
    }
  } finally {
    await pg.stop()
  }
  const mlflow = rows.find((r) => r.server.startsWith('mlflow'))
  const lines = [
    `PostgreSQL ${pg.version}, ${clients} clients, 1,000 points per log-batch, ${durationMs / 1000} s each, 2 cores shared by server, database and load generator`,
    '',
    '| server | processes | points/s | p50 ms | p99 ms | errors | vs MLflow |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.server} | ${r.processes} | ${Math.round(r.result.pointsPerSec).toLocaleString('en-US')} | ${r.result.latencyMs.p50} | ${r.result.latencyMs.p99} | ${r.result.errors} | ${mlflow && r !== mlflow ? `${round(r.result.pointsPerSec / mlflow.result.pointsPerSec, 1)}x` : ''} |`,
    ),
  ]
  process.stdout.write(lines.join('\n') + '\n')
  mkdirSync(join(root, 'bench/results'), { recursive: true })
  writeFileSync(join(root, `bench/results/${new Date().toISOString().replace(/[:.]/g, '-')}-workers.json`), JSON.stringify({ rows, table: lines }, null, 2))
}

main().catch((error: unknown) => {
  log(String(error instanceof Error ? error.stack : error))
  process.exit(1)
})
