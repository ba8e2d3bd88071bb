import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { freePort } from '../../../store/src/testing/free-port.ts'

const CLI = fileURLToPath(new URL('../../../cli/src/main.ts', import.meta.url))

/** A real `logbook server` child process on loopback with a temporary SQLite store and artifact folder. */
export interface TestServer {
  url: string
  port: number
  dir: string
  /** Stop the process (SIGTERM) and wait for it to exit; data stays in `dir`. */
  stop(): Promise<void>
  /** Start it again on the same port and data directory. */
  start(): Promise<void>
  /** Stop it and delete the data directory. */
  dispose(): Promise<void>
}

function launch(port: number, dir: string): Promise<ChildProcess> {
  const args = ['--import', 'tsx', CLI, 'server', '--host', '127.0.0.1', '--port', String(port)]
  args.push('--backend-store-uri', `sqlite:///${join(dir, 'db.sqlite')}`)
  args.push('--artifacts-destination', join(dir, 'artifacts'))
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] })
  return new Promise((resolve, reject) => {
    let output = ''
    const onData = (chunk: Buffer): void => {
      output += chunk.toString()
      if (output.includes('listening on')) {
        child.stdout?.off('data', onData)
        child.stdout?.resume()
        resolve(child)
      }
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.once('exit', (code) => reject(new Error(`logbook server exited (${code}): ${output}`)))
  })
}

function kill(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    child.once('exit', () => resolve())
    child.kill('SIGTERM')
  })
}

/** Start `logbook server` on a free port with a fresh temporary data directory. */
export async function startTestServer(): Promise<TestServer> {
  const dir = await mkdtemp(join(tmpdir(), 'logbook-sdk-'))
  const port = await freePort()
  let child: ChildProcess | undefined = await launch(port, dir)
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    dir,
    async stop() {
      await kill(child)
      child = undefined
    },
    async start() {
      if (!child) child = await launch(port, dir)
    },
    async dispose() {
      await kill(child)
      child = undefined
      await rm(dir, { recursive: true, force: true })
    },
  }
}
