/** Start and stop Logbook and MLflow's own server on loopback, each in its own process group. */
import { spawn, type ChildProcess } from 'node:child_process'
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { cmdline, processTree } from './proc.ts'
import { freePort } from '../packages/store/src/testing/free-port.ts'

export type ServerKind = 'logbook' | 'mlflow'

export interface ServerHandle {
  kind: ServerKind
  port: number
  storeUri: string
  logPath: string
  startupSeconds: number
  /** The process that serves requests (Logbook: the node child under the tsx wrapper). */
  servingPid: number
  /** Every process of the server (wrapper, workers, ...). */
  pids(): number[]
  /** Undefined while the server runs; otherwise how it ended and the tail of its log. */
  death(): string | undefined
  stop(): Promise<void>
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null
}

async function waitForHealth(
  child: ChildProcess,
  port: number,
  logPath: string,
  limitMs: number,
): Promise<void> {
  const deadline = Date.now() + limitMs
  while (Date.now() < deadline) {
    if (exited(child)) throw new Error(`server exited early:\n${tail(logPath)}`)
    const ok = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(2000) })
      .then((r) => r.ok)
      .catch(() => false)
    if (ok) return
    await new Promise((r) => setTimeout(r, 250))
  }
  throw new Error(`server not healthy after ${limitMs} ms:\n${tail(logPath)}`)
}

export function tail(path: string, lines = 20): string {
  try {
    return readFileSync(path, 'utf8').split('\n').slice(-lines).join('\n')
  } catch {
    return ''
  }
}

async function stopGroup(child: ChildProcess): Promise<void> {
  if (exited(child) || child.pid === undefined) return
  const done = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-(child.pid as number), sig)
    } catch {
      // group already gone
    }
  }
  signal('SIGTERM')
  const timer = setTimeout(() => signal('SIGKILL'), 15_000)
  await done
  clearTimeout(timer)
  signal('SIGKILL') // stragglers (e.g. uvicorn workers) of the same group
}

async function launch(
  kind: ServerKind,
  command: string,
  args: string[],
  port: number,
  storeUri: string,
  logDir: string,
  cwd: string,
  healthLimitMs: number,
): Promise<ServerHandle> {
  mkdirSync(logDir, { recursive: true })
  const logPath = join(logDir, `${kind}-${port}.log`)
  const fd = openSync(logPath, 'a')
  const t0 = performance.now()
  const child = spawn(command, args, { cwd, detached: true, stdio: ['ignore', fd, fd] })
  closeSync(fd)
  child.on('error', () => undefined)
  let stopping = false
  let ended: string | undefined
  child.once('exit', (code, signal) => {
    if (!stopping)
      ended = `exited (code ${code}, signal ${signal}) while in use; log tail:\n${tail(logPath)}`
  })
  try {
    await waitForHealth(child, port, logPath, healthLimitMs)
  } catch (error) {
    await stopGroup(child)
    throw error
  }
  const startupSeconds = (performance.now() - t0) / 1000
  const rootPid = child.pid as number
  const pids = () => processTree(rootPid).map((p) => p.pid)
  let servingPid = rootPid
  if (kind === 'logbook') {
    const nodes = processTree(rootPid).filter((p) =>
      cmdline(p.pid).includes('packages/cli/src/main.ts'),
    )
    servingPid = nodes.sort((a, b) => b.depth - a.depth)[0]?.pid ?? rootPid
  }
  return {
    kind,
    port,
    storeUri,
    logPath,
    startupSeconds,
    servingPid,
    pids,
    death: () => ended,
    stop: () => {
      stopping = true
      return stopGroup(child)
    },
  }
}

export interface StartOptions {
  root: string
  storeUri: string
  dataDir: string
  logDir: string
  /** Extra `server` flags, e.g. ['--workers', '4']. */
  extraArgs?: string[]
}

export async function startLogbook(opts: StartOptions): Promise<ServerHandle> {
  const port = await freePort()
  const tsx = join(opts.root, 'node_modules/.bin/tsx')
  const args = ['packages/cli/src/main.ts', 'server', '--host', '127.0.0.1', '--port', String(port)]
  args.push(
    '--backend-store-uri',
    opts.storeUri,
    '--artifacts-destination',
    join(opts.dataDir, 'artifacts'),
    ...(opts.extraArgs ?? []),
  )
  return launch('logbook', tsx, args, port, opts.storeUri, opts.logDir, opts.root, 60_000)
}

export async function startMlflow(opts: StartOptions): Promise<ServerHandle> {
  const port = await freePort()
  const mlflow = join(opts.root, '.venv/bin/mlflow')
  const args = ['server', '--host', '127.0.0.1', '--port', String(port)]
  args.push(
    '--backend-store-uri',
    opts.storeUri,
    '--artifacts-destination',
    join(opts.dataDir, 'artifacts'),
    ...(opts.extraArgs ?? []),
  )
  return launch('mlflow', mlflow, args, port, opts.storeUri, opts.logDir, opts.dataDir, 240_000)
}
