import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freePort } from '../../../store/src/testing/free-port.ts'
import { runCli } from '../testing/run-cli.ts'

const MAIN = fileURLToPath(new URL('../main.ts', import.meta.url))
let server: ChildProcess | undefined
let dir: string
let url: string

/** A `logbook server --auth` child process (startTestServer has no auth switch). */
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'logbook-cli-auth-'))
  const port = await freePort()
  url = `http://127.0.0.1:${port}`
  const args = ['--import', 'tsx', MAIN, 'server', '--port', String(port), '--backend-store-uri', `sqlite:///${join(dir, 'db.sqlite')}`]
  args.push('--artifacts-destination', join(dir, 'artifacts'), '--auth', '--admin-password', 's3cret-pw', '--default-permission', 'NO_PERMISSIONS')
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] })
  server = child
  await new Promise<void>((resolve, reject) => {
    let output = ''
    child.stdout.on('data', (c: Buffer) => {
      output += c.toString()
      if (output.includes('listening on')) resolve()
    })
    child.stderr.on('data', (c: Buffer) => (output += c.toString()))
    child.once('exit', (code) => reject(new Error(`server exited (${code}): ${output}`)))
  })
}, 120_000)
afterAll(async () => {
  const child = server
  if (child && child.exitCode === null) {
    await new Promise((resolve) => {
      child.once('exit', resolve)
      child.kill('SIGTERM')
    })
  }
  if (dir) await rm(dir, { recursive: true, force: true })
})

describe('credentials from MLflow variables', () => {
  it('sends MLFLOW_TRACKING_USERNAME/PASSWORD and reports a refusal with exit code 1', async () => {
    const [anonymous, wrong, admin] = await Promise.all([
      runCli(['experiments', 'create', '-n', 'secured', '--tracking-uri', url]),
      runCli(['experiments', 'create', '-n', 'secured', '--tracking-uri', url], { MLFLOW_TRACKING_USERNAME: 'admin', MLFLOW_TRACKING_PASSWORD: 'wrong' }),
      runCli(['experiments', 'create', '-n', 'secured'], { MLFLOW_TRACKING_URI: url, MLFLOW_TRACKING_USERNAME: 'admin', MLFLOW_TRACKING_PASSWORD: 's3cret-pw' }),
    ])
    expect(anonymous.code).toBe(1)
    expect(anonymous.stderr).toMatch(/^logbook: UNAUTHENTICATED: /)
    expect(wrong.code).toBe(1)
    expect(wrong.stderr).toMatch(/^logbook: UNAUTHENTICATED: /)
    expect(admin).toMatchObject({ code: 0, stderr: '' })
    expect(admin.stdout).toMatch(/^\d+\n$/)
    const listed = await runCli(['experiments', 'list', '-o', 'json'], { MLFLOW_TRACKING_URI: url, MLFLOW_TRACKING_USERNAME: 'admin', MLFLOW_TRACKING_PASSWORD: 's3cret-pw' })
    expect((JSON.parse(listed.stdout) as { name: string }[]).map((e) => e.name)).toContain('secured')
  }, 300_000)
})
