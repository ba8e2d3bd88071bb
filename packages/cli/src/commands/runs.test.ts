import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LogbookClient } from '@logbook/sdk'
import { startTestServer } from '../../../sdk/src/testing/server.ts'
import type { TestServer } from '../../../sdk/src/testing/server.ts'
import { parseCsv, runCli } from '../testing/run-cli.ts'
import { forEachLimited } from './artifact-transfer.ts'

const MANY = 1200

let server: TestServer
let client: LogbookClient
let env: Record<string, string>
let manyIds: string[]
const ids: Record<string, string> = {}

beforeAll(async () => {
  server = await startTestServer()
  client = new LogbookClient({ trackingUri: server.url })
  env = { LOGBOOK_TRACKING_URI: server.url }
  const many = await client.createExperiment('cli-many')
  manyIds = []
  await forEachLimited(Array.from({ length: MANY }, (_, i) => i), async (i) => {
    manyIds.push((await client.createRun({ experimentId: many, runName: `r${i}` })).info.run_id)
  })
  const exp = await client.createExperiment('cli-filter')
  const specs = [
    ['adam', 0.95],
    ['sgd', 0.5],
    ['sgd', 0.92],
    ['rmsprop', 0.1],
  ] as const
  for (const [i, [opt, acc]] of specs.entries()) {
    const run = await client.createRun({ experimentId: exp, runName: `f${i}`, startTime: 1_700_000_000_000 + i })
    ids[`f${i}`] = run.info.run_id
    await client.logBatch(run.info.run_id, {
      params: [{ key: 'opt', value: opt }],
      metrics: [{ key: 'acc', value: acc, step: 0, timestamp: 1 }],
      tags: [{ key: 'stage', value: i === 0 ? 'prod' : 'dev' }],
    })
    await client.updateRun(run.info.run_id, { status: 'FINISHED', endTime: 1_700_000_000_000 + i + 90_000 })
  }
  await client.logInputs(ids.f0!, [{ dataset: { name: 'mnist-train', digest: 'abc123', source_type: 'local', source: '/data' }, tags: [{ key: 'mlflow.data.context', value: 'training' }] }])
}, 300_000)
afterAll(() => server?.dispose())

describe('logbook runs', () => {
  it('fetches every page when --max-results is above one page, with a summary line on stderr', async () => {
    const [all, some] = await Promise.all([
      runCli(['runs', 'list', '--experiment-name', 'cli-many', '--max-results', '5000', '--output', 'csv'], env),
      runCli(['runs', 'search', '--experiment-name', 'cli-many', '--max-results', '1100', '--output', 'json'], env),
    ])
    expect(all.code).toBe(0)
    const rows = parseCsv(all.stdout)
    expect(rows[0]).toEqual(['run_id', 'run_name', 'experiment_id', 'status', 'start_time', 'end_time'])
    expect(rows.length).toBe(MANY + 1)
    expect(new Set(rows.slice(1).map((r) => r[0]))).toEqual(new Set(manyIds))
    // stderr is a pipe, not a terminal: no bar, only the final line.
    expect(all.stderr).toMatch(/^runs: 1200 runs in \S+\n$/)
    expect(some.code).toBe(0)
    expect((JSON.parse(some.stdout) as unknown[]).length).toBe(1100)
  }, 300_000)

  it('filters with OR, orders, and adds param/metric/tag columns (table, csv, json)', async () => {
    const filter = "metrics.acc > 0.9 OR params.opt = 'rmsprop'"
    const query = ['--experiment-name', 'cli-filter', '--filter', filter, '--order-by', 'metrics.acc DESC']
    const [csv, table, json] = await Promise.all([
      runCli(['runs', 'search', ...query, '-o', 'csv', '--columns', 'params.opt,metrics.acc', '-c', 'tags.stage'], env),
      runCli(['runs', 'list', ...query, '--columns', 'params.opt,metrics.acc'], env),
      runCli(['runs', 'search', ...query, '-o', 'json'], env),
    ])
    expect(csv.code).toBe(0)
    const rows = parseCsv(csv.stdout)
    expect(rows[0]).toEqual(['run_id', 'run_name', 'experiment_id', 'status', 'start_time', 'end_time', 'params.opt', 'metrics.acc', 'tags.stage'])
    expect(rows.slice(1).map((r) => [r[0], r[1], r[3], r[6], r[7], r[8]])).toEqual([
      [ids.f0, 'f0', 'FINISHED', 'adam', '0.95', 'prod'],
      [ids.f2, 'f2', 'FINISHED', 'sgd', '0.92', 'dev'],
      [ids.f3, 'f3', 'FINISHED', 'rmsprop', '0.1', 'dev'],
    ])
    expect(table.code).toBe(0)
    const lines = table.stdout.trimEnd().split('\n')
    expect(lines[0]).toMatch(/^run_id\s+name\s+status\s+start\s+duration\s+params\.opt\s+metrics\.acc$/)
    expect(lines.slice(2).map((l) => l.split(/\s{2,}/))).toEqual([
      [ids.f0, 'f0', 'FINISHED', '2023-11-14 22:13:20', '1m30s', 'adam', '0.95'],
      [ids.f2, 'f2', 'FINISHED', '2023-11-14 22:13:20', '1m30s', 'sgd', '0.92'],
      [ids.f3, 'f3', 'FINISHED', '2023-11-14 22:13:20', '1m30s', 'rmsprop', '0.1'],
    ])
    const runs = JSON.parse(json.stdout) as { info: { run_id: string }; data: { params: unknown[] } }[]
    expect(runs.map((r) => r.info.run_id)).toEqual([ids.f0, ids.f2, ids.f3])
    expect(runs[0]?.data.params).toEqual([{ key: 'opt', value: 'adam' }])
  }, 300_000)

  it("describes a run: info, params, latest metrics, tags and inputs", async () => {
    const [text, json] = await Promise.all([
      runCli(['runs', 'describe', '--run-id', ids.f0!], env),
      runCli(['runs', 'describe', '-r', ids.f0!, '-o', 'json'], env),
    ])
    expect(text.code).toBe(0)
    expect(text.stdout).toMatch(new RegExp(`^run_id:\\s+${ids.f0}$`, 'm'))
    expect(text.stdout).toMatch(/^duration:\s+1m30s$/m)
    expect(text.stdout).toMatch(/Params \(1\):\n.*\n.*\n {2}opt\s+adam\n/)
    expect(text.stdout).toMatch(/Metrics \(latest\) \(1\):\n.*\n.*\n {2}acc\s+0\.95\s+0\s+/)
    expect(text.stdout).toMatch(/^ {2}stage\s+prod$/m)
    expect(text.stdout).toMatch(/Inputs \(1\):\n.*\n.*\n {2}mnist-train\s+abc123\s+local\s+training\n/)
    expect(JSON.parse(json.stdout)).toMatchObject({ info: { run_id: ids.f0, status: 'FINISHED' }, data: { params: [{ key: 'opt', value: 'adam' }] } })
  }, 300_000)

  it('deletes and restores a run', async () => {
    const id = ids.f1!
    expect((await runCli(['runs', 'delete', '--run-id', id], env)).code).toBe(0)
    expect((await client.getRun(id)).info.lifecycle_stage).toBe('deleted')
    const deleted = await runCli(['runs', 'list', '--experiment-name', 'cli-filter', '--view', 'deleted', '-o', 'csv'], env)
    expect(parseCsv(deleted.stdout).slice(1).map((r) => r[0])).toEqual([id])
    expect((await runCli(['runs', 'restore', '--run-id', id], env)).code).toBe(0)
    expect((await client.getRun(id)).info.lifecycle_stage).toBe('active')
  }, 300_000)

  it('maps errors to exit codes 1 and 2', async () => {
    const [noExperiment, badColumn, badMax, badFilter, missingRun, missingName] = await Promise.all([
      runCli(['runs', 'list'], env),
      runCli(['runs', 'list', '-x', '0', '--columns', 'foo.bar'], env),
      runCli(['runs', 'list', '-x', '0', '--max-results', 'lots'], env),
      runCli(['runs', 'search', '-x', '0', '--filter', 'metrics.acc >> 1'], env),
      runCli(['runs', 'describe', '--run-id', 'f'.repeat(32)], env),
      runCli(['runs', 'list', '--experiment-name', 'nope'], env),
    ])
    expect(noExperiment.code).toBe(2)
    expect(noExperiment.stderr).toContain("Missing required option '--experiment-id' or '--experiment-name'")
    expect(badColumn.code).toBe(2)
    expect(badMax.code).toBe(2)
    expect(badFilter.code).toBe(1)
    expect(badFilter.stderr).toMatch(/^logbook: INVALID_PARAMETER_VALUE: /)
    expect(missingRun.code).toBe(1)
    expect(missingRun.stderr).toMatch(/^logbook: RESOURCE_DOES_NOT_EXIST: /)
    expect(missingName.code).toBe(1)
    expect(missingName.stderr).toMatch(/^logbook: RESOURCE_DOES_NOT_EXIST: /)
  }, 300_000)
})
