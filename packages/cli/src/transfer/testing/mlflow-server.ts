/** Test helper: MLflow's own tracking server from the test virtualenv, on loopback, for import tests. */
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { freePort } from '../../../../store/src/testing/free-port.ts'

/** The repository's test virtualenv (created by scripts/test.sh from test/compat/requirements.txt). */
export const VENV_BIN = fileURLToPath(new URL('../../../../../.venv/bin/', import.meta.url))

/** Whether MLflow's server and client are installed in the virtualenv, and why not. */
export function mlflowAvailable(): { ok: boolean; why: string } {
  const ok = existsSync(join(VENV_BIN, 'mlflow')) && existsSync(join(VENV_BIN, 'python'))
  return { ok, why: ok ? '' : `${VENV_BIN}mlflow not found (run npm test or scripts/test.sh to create .venv)` }
}

/** A running `mlflow server` with a SQLite store and a local artifact destination. */
export interface MlflowServer {
  url: string
  dir: string
  dispose(): Promise<void>
}

async function waitForHealth(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 120_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`mlflow server exited (${child.exitCode}): ${log()}`)
    try {
      if ((await fetch(`${url}/health`)).ok) return
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  throw new Error(`mlflow server did not answer /health within 120 s: ${log()}`)
}

/** Start `mlflow server` on a free port; it takes about 10 s before /health answers. */
export async function startMlflowServer(): Promise<MlflowServer> {
  const dir = await mkdtemp(join(tmpdir(), 'logbook-mlflow-'))
  const port = await freePort()
  const args = ['server', '--host', '127.0.0.1', '--port', String(port)]
  args.push('--backend-store-uri', `sqlite:///${join(dir, 'mlflow.db')}`)
  args.push('--artifacts-destination', join(dir, 'art'), '--workers', '1')
  // Its own process group, so stopping it also stops the workers it forks (by this group's id).
  const child = spawn(join(VENV_BIN, 'mlflow'), args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true, cwd: dir })
  let output = ''
  child.stdout?.on('data', (c: Buffer) => (output = (output + c.toString()).slice(-4000)))
  child.stderr?.on('data', (c: Buffer) => (output = (output + c.toString()).slice(-4000)))
  const url = `http://127.0.0.1:${port}`
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return
    const exited = new Promise((resolve) => child.once('exit', resolve))
    process.kill(-child.pid, 'SIGTERM')
    await exited
  }
  try {
    await waitForHealth(url, child, () => output)
  } catch (e) {
    await stop()
    await rm(dir, { recursive: true, force: true })
    throw e
  }
  return {
    url,
    dir,
    async dispose() {
      await stop()
      await rm(dir, { recursive: true, force: true })
    },
  }
}
