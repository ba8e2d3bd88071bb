/** Exit codes and messages of export, import and import-mlflow: bad flags 2, unreachable 1. */
import { spawnSync } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { freePort } from '../../../store/src/testing/free-port.ts'
import { exportCommand } from './export.ts'
import { importCommand } from './import.ts'
import { importMlflowCommand } from './import-mlflow.ts'

const MAIN = fileURLToPath(new URL('../main.ts', import.meta.url))

let dir: string
let dead: string

/** Run a command in-process and capture what it wrote to stderr. */
async function run(command: (argv: string[]) => Promise<number>, argv: string[]): Promise<{ code: number; err: string }> {
  let err = ''
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    err += String(chunk)
    return true
  })
  try {
    return { code: await command(argv), err }
  } finally {
    spy.mockRestore()
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'logbook-transfer-cli-'))
  // A port nothing listens on: freePort closed it again.
  dead = `http://127.0.0.1:${await freePort()}`
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('transfer commands: usage errors exit 2', () => {
  it.each([
    ['export without --dest', exportCommand, ['--tracking-uri', 'http://x', '--all']],
    ['export without a selection', exportCommand, ['--tracking-uri', 'http://x', '--dest', '/tmp/x']],
    ['export with --all and an id', exportCommand, ['--all', '--experiment-id', '1', '--dest', '/tmp/x']],
    ['export with an unknown flag', exportCommand, ['--all', '--dest', '/tmp/x', '--bogus']],
    ['import without --src', importCommand, ['--tracking-uri', 'http://x']],
    ['import-mlflow without --from', importMlflowCommand, ['--tracking-uri', 'http://x']],
    ['import-mlflow with a flag missing its value', importMlflowCommand, ['--from']],
  ] as const)('%s', async (_name, command, argv) => {
    const { code, err } = await run(command, [...argv])
    expect(code).toBe(2)
    expect(err).toMatch(/--help/)
  })
})

describe('transfer commands: failures exit 1 with a clear message', () => {
  it('export from an unreachable server', async () => {
    const { code, err } = await run(exportCommand, ['--tracking-uri', dead, '--all', '--dest', join(dir, 'x'), '--quiet'])
    expect(code).toBe(1)
    expect(err).toContain(`Cannot reach the tracking server at ${dead}`)
  })

  it('import-mlflow from an unreachable MLflow server', async () => {
    const { code, err } = await run(importMlflowCommand, ['--from', dead, '--tracking-uri', dead, '--quiet'])
    expect(code).toBe(1)
    expect(err).toContain(`Cannot reach the MLflow server at ${dead}`)
  })

  it('import from a folder that is not an export', async () => {
    const { code, err } = await run(importCommand, ['--src', dir, '--tracking-uri', dead, '--quiet'])
    expect(code).toBe(1)
    expect(err).toContain('is not a complete export')
  })

  it('a non-http tracking URI', async () => {
    const { code, err } = await run(exportCommand, ['--tracking-uri', 'file:///tmp/x', '--all', '--dest', join(dir, 'y')])
    expect(code).toBe(1)
    expect(err).toContain('is not an http(s) URL')
  })
})

describe('through the logbook binary', () => {
  it('passes the exit codes on and lists the commands in --help', () => {
    const node = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', MAIN, ...args], { encoding: 'utf8' })
    const help = node(['--help'])
    expect(help.status).toBe(0)
    expect(help.stdout).toMatch(/import-mlflow\s+Copy everything from an MLflow tracking server/)
    expect(node(['export', '--nope']).status).toBe(2)
    const unreachable = node(['import-mlflow', '--from', dead, '--tracking-uri', dead, '--quiet'])
    expect(unreachable.status).toBe(1)
    expect(unreachable.stderr).toContain('Cannot reach the MLflow server')
    const importHelp = node(['import', '--help'])
    expect(importHelp.status).toBe(0)
    expect(importHelp.stdout).toContain('Not idempotent')
  }, 60_000)
})
