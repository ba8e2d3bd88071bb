/**
 * `npm run bench:sdk`: one process calls `run.logMetric` 1,000,000 times (10 keys x 100,000 steps)
 * against `logbook server` (SQLite, own temp dir) and awaits `end()`; the wall time runs from the
 * first call until the server has acknowledged every point. The count is then verified through the
 * API. The same work goes through MLflow's Python client (`MlflowClient.log_batch`, 1000 metrics
 * per call) against Logbook and against MLflow's own server. Writes bench/results/<ts>-sdk.json.
 *
 *   npm run bench:sdk                  # full: 1M points everywhere (MLflow's server time-bounded)
 *   npm run bench:sdk -- --quick       # 100,000 points, short bounds; proves the bench works
 *   npm run bench:sdk -- --logbook-only
 *   npm run bench:sdk -- --sdk-only --repeats 5
 *
 * BENCH_QUIET_WAIT=<s> bounds the wait for other processes to go quiet before each phase (300 s).
 */
import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { LogbookClient, startRun } from '../packages/sdk/src/index.ts'
import { machineInfo } from './machine.ts'
import { phaseCpuMeter, waitForQuiet, type PhaseCpu } from './proc.ts'
import { startLogbook, startMlflow, type ServerHandle } from './servers.ts'

const root = resolve(import.meta.dirname, '..')
const log = (m: string): void => {
  process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${m}\n`)
}

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean' },
    'logbook-only': { type: 'boolean' },
    'sdk-only': { type: 'boolean' },
    'mlflow-limit': { type: 'string' },
    repeats: { type: 'string' },
  },
})
/** SDK repetitions (fresh run each, same server); the median is the figure. */
const REPEATS = Number(args.repeats ?? (args.quick ? 1 : 3))
const KEYS = 10
const STEPS = args.quick ? 10_000 : 100_000
const POINTS = KEYS * STEPS
/** MLflow's server stores a few thousand points/s; bound its run and report the rate. */
const MLFLOW_LIMIT_S = Number(args['mlflow-limit'] ?? (args.quick ? 20 : 120))
const QUIET_MS = Number(process.env.BENCH_QUIET_WAIT ?? (args.quick ? 10 : 300)) * 1000

interface SdkResult {
  points: number
  queueMs: number
  wallMs: number
  stored: number
  cpu: PhaseCpu
  quiet: { otherPct: number; waitedSeconds: number }
}

interface PythonResult {
  server: 'logbook' | 'mlflow'
  points: number
  seconds: number
  bounded: boolean
  stored: number
  pointsPerSecond: number
  quiet: { otherPct: number; waitedSeconds: number }
}

/** Count the points stored under every key of a run through get-history. */
async function storedPoints(client: LogbookClient, runId: string): Promise<number> {
  let total = 0
  for (let k = 0; k < KEYS; k++) {
    const history = await client.getMetricHistory(runId, `m${k}`)
    const steps = new Set(history.map((m) => m.step))
    if (steps.size !== history.length) throw new Error(`m${k}: duplicate steps in history`)
    total += history.length
  }
  return total
}

async function sdkRepeats(server: ServerHandle): Promise<SdkResult[]> {
  const results: SdkResult[] = []
  for (let i = 0; i < REPEATS; i++) results.push(await sdkPhase(server))
  return results
}

async function sdkPhase(server: ServerHandle): Promise<SdkResult> {
  const client = new LogbookClient({ trackingUri: `http://127.0.0.1:${server.port}` })
  const run = await startRun({ client, experiment: 'sdk-million' })
  const quiet = await waitForQuiet(QUIET_MS, log, server.pids())
  log(`sdk: ${POINTS} logMetric calls`)
  const cpu = phaseCpuMeter(server.pids())
  const t0 = performance.now()
  for (let step = 0; step < STEPS; step++) {
    for (let k = 0; k < KEYS; k++) run.logMetric(`m${k}`, step * 0.001, { step })
  }
  const queueMs = performance.now() - t0
  await run.end()
  const wallMs = performance.now() - t0
  const usage = cpu()
  const stored = await storedPoints(client, run.id)
  log(`sdk: queued in ${queueMs.toFixed(0)} ms, acknowledged after ${wallMs.toFixed(0)} ms`)
  return { points: POINTS, queueMs, wallMs, stored, cpu: usage, quiet }
}

function python(uri: string, experiment: string, limitS: number): Promise<Record<string, unknown>> {
  const py = join(root, '.venv/bin/python')
  const script = join(root, 'bench/sdk-million.py')
  const argv = [script, uri, experiment, String(KEYS), String(STEPS), String(limitS)]
  return new Promise((done, fail) => {
    execFile(py, argv, { maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
      if (error) fail(new Error(`${error.message}\n${stderr.slice(-2000)}`))
      else done(JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as Record<string, unknown>)
    })
  })
}

async function pythonPhase(
  server: ServerHandle,
  kind: 'logbook' | 'mlflow',
  limitS: number,
): Promise<PythonResult> {
  const uri = `http://127.0.0.1:${server.port}`
  const quiet = await waitForQuiet(QUIET_MS, log, server.pids())
  log(`python log_batch against ${kind}: ${POINTS} points (bound ${limitS} s)`)
  const out = await python(uri, `py-million-${kind}`, limitS)
  const stored = await storedPoints(new LogbookClient({ trackingUri: uri }), String(out.run_id))
  const points = Number(out.points)
  const seconds = Number(out.seconds)
  log(`python -> ${kind}: ${points} points in ${seconds.toFixed(1)} s, ${stored} stored`)
  return {
    server: kind,
    points,
    seconds,
    bounded: out.bounded === true,
    stored,
    pointsPerSecond: points / seconds,
    quiet,
  }
}

async function withServer<T>(
  kind: 'logbook' | 'mlflow',
  work: string,
  body: (s: ServerHandle) => Promise<T>,
): Promise<T> {
  const dataDir = join(work, kind)
  mkdirSync(dataDir, { recursive: true })
  const opts = {
    root,
    storeUri: `sqlite:///${join(dataDir, `${kind}.db`)}`,
    dataDir,
    logDir: join(work, 'logs'),
  }
  const server = await (kind === 'logbook' ? startLogbook(opts) : startMlflow(opts))
  try {
    return await body(server)
  } finally {
    await server.stop()
  }
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'lbb-sdk-'))
  const startedAt = new Date()
  try {
    const sdkRuns = await withServer('logbook', work, sdkRepeats)
    const sdk = [...sdkRuns].sort((a, b) => a.wallMs - b.wallMs)[Math.floor(sdkRuns.length / 2)]!
    const py: PythonResult[] = []
    if (!args['sdk-only']) {
      py.push(await withServer('logbook', work, (s) => pythonPhase(s, 'logbook', 600)))
      if (!args['logbook-only'])
        py.push(await withServer('mlflow', work, (s) => pythonPhase(s, 'mlflow', MLFLOW_LIMIT_S)))
    }
    const result = {
      startedAt: startedAt.toISOString(),
      quick: args.quick === true,
      machine: await machineInfo(root),
      sdk,
      sdkRuns,
      python: py,
    }
    const sdkRate = sdk.points / (sdk.wallMs / 1000)
    const lines = [
      `SDK runs (wall s): ${sdkRuns.map((r) => (r.wallMs / 1000).toFixed(2)).join(', ')}; median:`,
      `SDK logMetric x ${sdk.points}: ${(sdk.wallMs / 1000).toFixed(2)} s to acknowledged ` +
        `(${Math.round(sdkRate)} points/s; calls took ${sdk.queueMs.toFixed(0)} ms), ` +
        `${sdk.stored} stored; CPU client ${sdk.cpu.clientPct}% server ${sdk.cpu.serverPct}% ` +
        `other ${sdk.cpu.otherPct}% of a core`,
      ...py.map(
        (p) =>
          `python log_batch -> ${p.server}: ${p.points} points in ${p.seconds.toFixed(2)} s ` +
          `(${Math.round(p.pointsPerSecond)} points/s${p.bounded ? ', time-bounded' : ''}), ` +
          `${p.stored} stored; SDK is ${(sdkRate / p.pointsPerSecond).toFixed(1)}x faster`,
      ),
      `target (1M points acknowledged < 5 s): ${
        sdk.points === 1_000_000 ? (sdk.wallMs < 5000 ? 'met' : 'NOT met') : 'n/a (quick run)'
      }`,
    ]
    process.stdout.write(`${lines.join('\n')}\n`)
    const outDir = join(root, 'bench/results')
    mkdirSync(outDir, { recursive: true })
    const file = join(outDir, `${startedAt.toISOString().replace(/[:.]/g, '-')}-sdk.json`)
    writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`)
    log(`wrote ${file}`)
    for (const r of sdkRuns)
      if (r.stored !== r.points) throw new Error(`SDK: ${r.stored} of ${r.points} stored`)
    for (const p of py)
      if (p.stored !== p.points) throw new Error(`python/${p.server}: ${p.stored} of ${p.points}`)
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}

await main()
