import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LogbookClient } from '@logbook/sdk'
import { freePort } from '../../../store/src/testing/free-port.ts'
import { startTestServer, type TestServer } from '../../../sdk/src/testing/server.ts'
import { runCli } from '../testing/run-cli.ts'

const MAIN = fileURLToPath(new URL('../main.ts', import.meta.url))

let server: TestServer
let dir: string

beforeAll(async () => {
  server = await startTestServer()
  dir = await mkdtemp(join(tmpdir(), 'logbook-demo-'))
})
afterAll(async () => {
  await server?.dispose()
  if (dir) await rm(dir, { recursive: true, force: true })
})

// Each test starts several CLI processes (tsx start-up is seconds on a busy machine).
describe('logbook demo', { timeout: 180_000 }, () => {
  it('seeds a running server with --tracking-uri, once', async () => {
    const res = await runCli(['demo', '--tracking-uri', server.url, '--scale', 'small'])
    expect(res.stderr).toBe('')
    expect(res.code).toBe(0)
    expect(res.stdout).toMatch(
      /^Seeded 3 experiments, \d+ runs and 2 registered models in [\d.]+ s:$/m,
    )
    expect(res.stdout).toContain(`mnist-cnn               ${server.url}/experiments/1`)
    expect(res.stdout).toContain(`${server.url}/models/demo-classifier  (3 versions)`)
    const client = new LogbookClient({ trackingUri: server.url })
    const { experiments } = await client.searchExperiments()
    expect(experiments.map((e) => e.name).sort()).toEqual([
      'Default',
      'house-prices',
      'llm-eval',
      'mnist-cnn',
    ])

    const again = await runCli(['demo', '--tracking-uri', server.url, '--scale', 'small'])
    expect(again).toMatchObject({ code: 0, stderr: '' })
    expect(again.stdout).toContain('already holds the demo experiments; nothing seeded')
    expect((await client.searchExperiments()).experiments.length).toBe(4)

    // Other data under the demo's names: refused before anything is written, exit code 1.
    await client.updateExperiment(
      experiments.find((e) => e.name === 'mnist-cnn')!.experiment_id,
      'mnist-old',
    )
    const clash = await runCli(['demo', '--tracking-uri', server.url, '--scale', 'small'])
    expect(clash.code).toBe(1)
    expect(clash.stderr).toMatch(
      /^logbook: http:\/\/127\.0\.0\.1:\d+ already has experiment 'house-prices', experiment 'llm-eval', registered model 'demo-classifier', registered model 'house-prices-regressor'; the demo needs these names free\n$/,
    )
    expect((await client.searchExperiments()).experiments.map((e) => e.name).sort()).toEqual([
      'Default',
      'house-prices',
      'llm-eval',
      'mnist-old',
    ])
  })

  it('rejects bad usage with exit code 2 and an unreachable server with 1', async () => {
    // Independent invocations, started together: each CLI start costs seconds on a busy machine.
    const [scale, clash, bogus, down, help, mainHelp] = await Promise.all([
      runCli(['demo', '--scale', 'huge', '--tracking-uri', server.url]),
      runCli(['demo', '--tracking-uri', server.url, '--port', '5001']),
      runCli(['demo', '--bogus']),
      freePort().then((port) => runCli(['demo', '--tracking-uri', `http://127.0.0.1:${port}`])),
      runCli(['demo', '--help']),
      runCli(['--help']),
    ])
    expect(scale).toMatchObject({
      code: 2,
      stderr: "Invalid --scale 'huge' (expected small or full)\n",
    })
    expect(clash).toMatchObject({
      code: 2,
      stderr: '--tracking-uri seeds a running server; --port does not apply\n',
    })
    expect(bogus.code).toBe(2)
    expect(down.code).toBe(1)
    expect(down.stderr).toMatch(
      /^logbook: no Logbook server answers at http:\/\/127\.0\.0\.1:\d+\n$/,
    )
    expect(help.code).toBe(0)
    expect(help.stdout).toMatch(/^Usage: logbook demo \[options\]/)
    expect(help.stdout).toContain('logbook demo --tracking-uri http://127.0.0.1:5000 --scale small')
    expect(mainHelp.stdout).toMatch(/^ {2}demo +Serve a store filled with realistic demo runs/m)
  })

  it('serves a freshly seeded store until SIGTERM', async () => {
    const port = await freePort()
    const args = ['--import', 'tsx', MAIN, 'demo', '--port', String(port), '--scale', 'small']
    args.push(
      '--backend-store-uri',
      `sqlite:///${join(dir, 'demo.db')}`,
      '--artifacts-destination',
      join(dir, 'artifacts'),
    )
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stderr.on('data', (c: Buffer) => (output += c.toString()))
    const exited = new Promise<number | null>((resolve) =>
      child.once('exit', (code) => resolve(code)),
    )
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (c: Buffer) => {
        output += c.toString()
        if (output.includes('listening on')) resolve()
      })
      void exited.then((code) => reject(new Error(`logbook demo exited (${code}): ${output}`)))
    })
    expect(output).toMatch(/Seeded 3 experiments/)
    expect(output).toContain(`Logbook `)
    expect(output).toContain(`listening on http://127.0.0.1:${port}`)
    const client = new LogbookClient({ trackingUri: `http://127.0.0.1:${port}` })
    const model = await client.transport.json<{ registered_model: { name: string } }>(
      'GET',
      '/api/2.0/mlflow/registered-models/get?name=demo-classifier',
    )
    expect(model.registered_model.name).toBe('demo-classifier')
    child.kill('SIGTERM')
    expect(await exited).toBe(0)
    expect(output).toContain('Received SIGTERM, shutting down')

    // The same store again, without serving: nothing is seeded twice.
    const again = await runCli([
      'demo',
      '--no-serve',
      '--backend-store-uri',
      `sqlite:///${join(dir, 'demo.db')}`,
      '--artifacts-destination',
      join(dir, 'artifacts'),
    ])
    expect(again.code).toBe(0)
    expect(again.stdout).toContain('already holds the demo experiments; nothing seeded')
  })
})
