/** `npm run bench`: Logbook vs MLflow's own server, same load, one server at a time. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseConfig, type BenchConfig } from './config.ts'
import { HttpClient, createExperiment } from './http-client.ts'
import { machineInfo } from './machine.ts'
import { phaseCpuMeter, waitForQuiet } from './proc.ts'
import { runHistory, type HistoryResult } from './phases/history.ts'
import { runIngest } from './phases/ingest.ts'
import { runLogMetric } from './phases/log-metric.ts'
import { runRss } from './phases/rss.ts'
import { runSearch } from './phases/search.ts'
import { insertMlflowRuns, type DirectRun } from './phases/search-direct.ts'
import { startPgCluster, type PgCluster } from './postgres.ts'
import { formatReport } from './report-format.ts'
import { comparisonRows, evaluateTargets, type ServerResult } from './report.ts'
import { startLogbook, startMlflow, type ServerHandle, type ServerKind } from './servers.ts'
import { round } from './stats.ts'

const root = resolve(import.meta.dirname, '..')
const cleanups: (() => Promise<void>)[] = []

function log(message: string): void {
  process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${message}\n`)
}

async function cleanup(): Promise<void> {
  while (cleanups.length > 0)
    await cleanups.pop()!().catch((e: Error) => log(`cleanup: ${e.message}`))
}

/** Stops a server after its session, reporting it if it had died on its own meanwhile. */
async function finish(server: ServerHandle): Promise<string | undefined> {
  const died = server.death()
  if (died) log(`WARNING: ${server.kind} on port ${server.port} ${died}`)
  await cleanups.pop()!()
  return died
}

async function startServer(
  kind: ServerKind,
  storeUri: string,
  dataDir: string,
  logDir: string,
): Promise<ServerHandle> {
  mkdirSync(dataDir, { recursive: true })
  const start = kind === 'logbook' ? startLogbook : startMlflow
  const handle = await start({ root, storeUri, dataDir, logDir })
  cleanups.push(() => handle.stop())
  log(
    `${kind} up on port ${handle.port} after ${round(handle.startupSeconds, 1)} s (log ${handle.logPath})`,
  )
  return handle
}

async function benchServer(
  cfg: BenchConfig,
  server: ServerHandle,
  quietBefore: ServerResult['quietBefore'],
  dbRoot: number | undefined,
  /** Waits (bounded) for other processes to calm down before the next phase. */
  settle: () => Promise<unknown>,
): Promise<ServerResult> {
  const { port, kind } = server
  const http = new HttpClient(port, 1)
  const experimentId = await createExperiment(http, 'bench')
  http.close()
  log(
    `${kind}: (a) ingest for ${cfg.ingest.durationMs / 1000} s with ${cfg.ingest.clients} clients`,
  )
  const ingest = await runIngest({
    ...cfg.ingest,
    port,
    experimentId,
    serverPids: server.pids(),
    dbRoot,
    label: kind,
  })
  log(
    `${kind}:     ${ingest.pointsPerSec} points/s, p50 ${ingest.latencyMs.p50} ms, ${ingest.errors} errors`,
  )
  await settle()
  log(`${kind}: (b) ${cfg.logMetric.calls} sequential log-metric calls`)
  let meter = phaseCpuMeter(server.pids(), dbRoot)
  const logMetric = await runLogMetric(
    port,
    experimentId,
    cfg.logMetric.calls,
    cfg.logMetric.limitMs,
  )
  log(`${kind}:     p50 ${logMetric.latencyMs.p50} ms, p99 ${logMetric.latencyMs.p99} ms`)
  const cpu: ServerResult['cpu'] = { ingest: ingest.cpu, logMetric: meter() }
  await settle()
  meter = phaseCpuMeter(server.pids(), dbRoot)
  const target = cfg.search.checkpoints.at(-1)
  log(
    `${kind}: (c) populate ${target} runs (limit ${cfg.search.populateLimitMs / 1000} s), searching at ${cfg.search.checkpoints.join(', ')}`,
  )
  // MLflow's API creates ~30 runs/s here: the rest of the 10,000 runs go straight into its tables.
  const topUp = kind === 'mlflow' ? (id: string, runs: DirectRun[]) => insertMlflowRuns(server.storeUri, id, runs) : undefined
  const search = await runSearch({ port, ...cfg.search, topUp }, (m) => log(`${kind}:     ${m}`))
  cpu.search = meter()
  for (const c of search.checkpoints) {
    log(
      `${kind}:     @${c.runs} runs: medians ${c.queries.map((q) => `${q.latencyMs.p50} ms`).join(', ')}`,
    )
  }
  await settle()
  log(
    `${kind}: (d) load ${cfg.history.points} points into one metric (limit ${cfg.history.loadLimitMs / 1000} s), then read it`,
  )
  meter = phaseCpuMeter(server.pids(), dbRoot)
  const history = await runHistory({ port, experimentId, ...cfg.history })
  cpu.history = meter()
  log(
    `${kind}:     loaded ${history.pointsLoaded} in ${history.loadSeconds} s; read ${history.medianTotalMs} ms`,
  )
  let historyUnordered: HistoryResult | undefined
  if (kind === 'logbook') {
    log(
      `${kind}: (d') the same series loaded by ${cfg.historyUnordered.concurrency} concurrent writers`,
    )
    historyUnordered = await runHistory({
      port,
      experimentId,
      ...cfg.history,
      ...cfg.historyUnordered,
    })
    log(
      `${kind}:     loaded ${historyUnordered.pointsLoaded}; read ${historyUnordered.medianTotalMs} ms`,
    )
  }
  const startupSeconds = round(server.startupSeconds, 1)
  return { startupSeconds, quietBefore, ingest, logMetric, search, history, historyUnordered, cpu }
}

async function main(): Promise<number> {
  const cfg = parseConfig(process.argv.slice(2))
  if (cfg === undefined) return 0
  const startedAt = new Date()
  const work = process.env.BENCH_WORK_DIR ?? mkdtempSync(join(tmpdir(), 'lbb-'))
  const logDir = join(work, 'logs')
  log(`backend ${cfg.backend}${cfg.quick ? ' (quick)' : ''}; work dir ${work}`)
  const machine = await machineInfo(root)
  let cluster: PgCluster | undefined
  if (cfg.backend === 'postgres') {
    cluster = await startPgCluster(root, join(work, 'pg'))
    cleanups.push(() => cluster!.stop())
    machine.postgres = cluster.version
    log(`PostgreSQL ${cluster.version} cluster at ${cluster.url}`)
  }
  // SQLAlchemy 2.1 maps plain postgresql:// to psycopg 3; the venv has psycopg2, so name it.
  const uri = async (kind: string) =>
    cluster === undefined
      ? `sqlite:///${join(work, kind, `${kind}.db`)}`
      : kind === 'logbook'
        ? cluster.url
        : kind === 'mlflow'
          ? (await cluster.createDatabase(kind)).replace(/^postgresql:/, 'postgresql+psycopg2:')
          : await cluster.createDatabase(kind)

  const dbRoot = cluster?.pid()
  const quietMs = Number(process.env.BENCH_QUIET_WAIT ?? (cfg.quick ? 30 : 300)) * 1000
  const quiet = (pids: number[]) => waitForQuiet(quietMs, log, pids, dbRoot)
  const settle = (server: ServerHandle) => () =>
    waitForQuiet(Math.min(quietMs, 120_000), log, server.pids(), dbRoot)
  // MLflow goes first: if its time bound stops the search population early, Logbook's searches
  // are also timed at the size MLflow reached, so there is always a like-for-like comparison.
  let mlflow: ServerResult | undefined
  let checkpoints = cfg.search.checkpoints
  if (!cfg.logbookOnly) {
    const mlServer = await startServer('mlflow', await uri('mlflow'), join(work, 'mlflow'), logDir)
    mlflow = await benchServer(
      cfg,
      mlServer,
      await quiet(mlServer.pids()),
      dbRoot,
      settle(mlServer),
    )
    mlflow.serverDied = await finish(mlServer)
    const reached = mlflow.search.checkpoints.map((c) => c.runs)
    checkpoints = [...new Set([...reached, ...cfg.search.checkpoints])].sort((a, b) => a - b)
  }
  const lbServer = await startServer('logbook', await uri('logbook'), join(work, 'logbook'), logDir)
  const lbCfg = { ...cfg, search: { ...cfg.search, checkpoints } }
  const logbook = await benchServer(
    lbCfg,
    lbServer,
    await quiet(lbServer.pids()),
    dbRoot,
    settle(lbServer),
  )
  logbook.serverDied = await finish(lbServer)
  log(`logbook: RSS while ingesting ${cfg.rss.points} points (fresh server and store)`)
  const rssServer = await startServer(
    'logbook',
    await uri('logbook_rss'),
    join(work, 'logbook_rss'),
    logDir,
  )
  await quiet(rssServer.pids())
  const rss = await runRss(
    rssServer.port,
    rssServer.servingPid,
    rssServer.pids(),
    cfg.rss.points,
    cfg.rss.limitMs,
    dbRoot,
  )
  rss.serverDied = await finish(rssServer)
  await cleanup()

  const rows = comparisonRows(logbook, mlflow)
  const targets = evaluateTargets(cfg, logbook, mlflow, rss)
  const finishedAt = new Date()
  const result = {
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationSeconds: round((finishedAt.getTime() - startedAt.getTime()) / 1000, 1),
    command: `npm run bench -- --backend ${cfg.backend}${cfg.quick ? ' --quick' : ''}`,
    backend: cfg.backend,
    quick: cfg.quick,
    config: cfg,
    machine,
    servers: { logbook, mlflow },
    logbookRss: rss,
    comparison: rows,
    targets,
  }
  const dir = join(root, 'bench', 'results')
  mkdirSync(dir, { recursive: true })
  const file = join(dir, `${startedAt.toISOString().replace(/[:.]/g, '-')}-${cfg.backend}.json`)
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`)
  const m = machine
  process.stdout.write(
    `\nLogbook vs MLflow ${m.mlflow} on ${cfg.backend}${cfg.quick ? ' (QUICK smoke run: sizes reduced)' : ''}` +
      ` — ${m.nproc} cores ${m.cpuModel}, ${m.memGiB} GiB, Node ${m.node}, Python ${m.python}, SQLite ${m.sqlite.logbook}` +
      `${m.postgres ? `, PostgreSQL ${m.postgres}` : ''}\nLogbook commit ${m.logbook.commit}${m.logbook.uncommittedFiles > 0 ? ` + ${m.logbook.uncommittedFiles} uncommitted files under packages/` : ''}\n\n${formatReport(rows, targets, logbook, mlflow, rss)}\n\n` +
      `Finished in ${result.durationSeconds} s. JSON: ${file}\n`,
  )
  return 0
}

for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => {
    log(`${sig}: stopping servers`)
    void cleanup().finally(() => process.exit(130))
  })
}

main().then(
  (code) => process.exit(code),
  async (error: unknown) => {
    log(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`)
    await cleanup()
    process.exit(1)
  },
)
