import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { freePort } from '../../packages/store/src/testing/free-port.ts'

const CLI = fileURLToPath(new URL('../../packages/cli/src/main.ts', import.meta.url))

/** A `logbook server` process started the way an operator would start it. */
export interface ServerProcess {
  url: string
  pid: number
  output: () => string
  stop(): Promise<void>
}

/** Start `logbook server` with extra CLI args and env; resolves once `ready` lines were printed. */
export async function startServerProcess(
  args: string[],
  env: Record<string, string> = {},
  ready = 1,
): Promise<ServerProcess> {
  const port = await freePort()
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', CLI, 'server', '--host', '127.0.0.1', '--port', String(port), ...args],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } },
  )
  let output = ''
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if ((output.match(/listening on/g) ?? []).length >= ready) {
        clearInterval(timer)
        resolve()
      }
    }, 50)
    child.once('exit', (code) => {
      clearInterval(timer)
      reject(new Error(`logbook server exited (${code}):\n${output}`))
    })
  })
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    output: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve()
        child.once('exit', () => resolve())
        child.kill('SIGTERM')
      }),
  }
}

/** Counts every request a test makes, and every answer that was not 2xx (the test asserts on these). */
export class Client {
  requests = 0
  failures: string[] = []

  async call<T>(base: string, method: string, path: string, body?: unknown, expectError = false): Promise<{ status: number; body: T }> {
    this.requests++
    const res = await fetch(`${base}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const text = await res.text()
    if (!res.ok && !expectError) this.failures.push(`${method} ${base}${path} -> ${res.status} ${text.slice(0, 200)}`)
    return { status: res.status, body: (text ? JSON.parse(text) : {}) as T }
  }

  post<T>(base: string, path: string, body: unknown, expectError = false) {
    return this.call<T>(base, 'POST', `/api/2.0/mlflow/${path}`, body, expectError)
  }

  get<T>(base: string, path: string) {
    return this.call<T>(base, 'GET', `/api/2.0/mlflow/${path}`)
  }
}
