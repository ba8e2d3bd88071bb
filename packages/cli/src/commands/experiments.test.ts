import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LogbookClient } from '@logbook/sdk'
import { startTestServer } from '../../../sdk/src/testing/server.ts'
import type { TestServer } from '../../../sdk/src/testing/server.ts'
import { parseCsv, runCli } from '../testing/run-cli.ts'

let server: TestServer
let client: LogbookClient
let env: Record<string, string>

beforeAll(async () => {
  server = await startTestServer()
  client = new LogbookClient({ trackingUri: server.url })
  env = { LOGBOOK_TRACKING_URI: server.url }
})
afterAll(() => server?.dispose())

describe('logbook experiments', () => {
  it('creates, lists (table, json, csv), renames, deletes and restores', async () => {
    const created = await runCli(['experiments', 'create', '--experiment-name', 'cli-exp'], env)
    expect(created).toMatchObject({ code: 0, stderr: '' })
    const id = created.stdout.trim()
    expect((await client.getExperiment(id)).name).toBe('cli-exp')

    const table = await runCli(['experiments', 'list'], env)
    expect(table.code).toBe(0)
    expect(table.stdout.split('\n')[0]).toMatch(/^experiment_id\s+name\s+lifecycle_stage/)
    expect(table.stdout).toMatch(new RegExp(`^${id}\\s+cli-exp\\s+active`, 'm'))

    const json = JSON.parse((await runCli(['experiments', 'list', '--output', 'json'], env)).stdout) as { experiment_id: string; name: string }[]
    expect(json.map((e) => e.name).sort()).toEqual(['Default', 'cli-exp'])

    // --tracking-uri wins over the environment (which here names nothing).
    const renamed = await runCli(['experiments', 'rename', '-x', id, '--new-name', 'cli, "renamed"', '--tracking-uri', server.url])
    expect(renamed.code).toBe(0)
    expect((await client.getExperiment(id)).name).toBe('cli, "renamed"')
    const csv = parseCsv((await runCli(['experiments', 'list', '-o', 'csv', '--filter', "name LIKE 'cli%'"], env)).stdout)
    expect(csv[0]).toEqual(['experiment_id', 'name', 'lifecycle_stage', 'artifact_location', 'creation_time'])
    expect(csv.slice(1)).toEqual([[id, 'cli, "renamed"', 'active', `mlflow-artifacts:/${id}`, expect.stringMatching(/^\d+$/)]])

    expect((await runCli(['experiments', 'delete', '--experiment-id', id], env)).code).toBe(0)
    expect((await client.getExperiment(id)).lifecycle_stage).toBe('deleted')
    const deleted = JSON.parse((await runCli(['experiments', 'list', '--view', 'deleted', '-o', 'json'], env)).stdout) as { experiment_id: string }[]
    expect(deleted.map((e) => e.experiment_id)).toEqual([id])
    expect((await runCli(['experiments', 'list', '--view', 'all', '-o', 'json'], env)).stdout).toContain('"lifecycle_stage": "deleted"')

    expect((await runCli(['experiments', 'restore', '--experiment-id', id], env)).code).toBe(0)
    expect((await client.getExperiment(id)).lifecycle_stage).toBe('active')
  }, 300_000)

  it('reports server errors in MLflow form with exit code 1', async () => {
    const res = await runCli(['experiments', 'delete', '--experiment-id', '999'], env)
    expect(res.code).toBe(1)
    expect(res.stderr).toMatch(/^logbook: RESOURCE_DOES_NOT_EXIST: /)
    const dup = await runCli(['experiments', 'create', '-n', 'Default'], env)
    expect(dup.code).toBe(1)
    expect(dup.stderr).toMatch(/^logbook: RESOURCE_ALREADY_EXISTS: /)
  }, 300_000)

  it('exits 1 when no server answers', async () => {
    const res = await runCli(['experiments', 'list', '--tracking-uri', 'http://127.0.0.1:9'])
    expect(res.code).toBe(1)
    expect(res.stderr).toMatch(/^logbook: .*failed/)
  }, 120_000)

  it('rejects bad usage with exit code 2', async () => {
    const [missing, unknown, badChoice, noSub, unknownSub, unknownCommand] = await Promise.all([
      runCli(['experiments', 'create'], env),
      runCli(['experiments', 'list', '--bogus'], env),
      runCli(['experiments', 'list', '--view', 'some'], env),
      runCli(['experiments'], env),
      runCli(['experiments', 'frobnicate'], env),
      runCli(['no-such-command']),
    ])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain("Missing required option '--experiment-name'")
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain("'--bogus'")
    expect(badChoice.code).toBe(2)
    expect(badChoice.stderr).toContain('expected one of active, deleted, all')
    expect(noSub.code).toBe(2)
    expect(noSub.stderr).toContain('Missing subcommand')
    expect(unknownSub.code).toBe(2)
    expect(unknownSub.stderr).toContain("Unknown subcommand 'frobnicate'")
    expect(unknownCommand.code).toBe(2)
  }, 300_000)

  it('prints help with options and examples', async () => {
    const [group, leaf, top] = await Promise.all([runCli(['experiments', '--help']), runCli(['experiments', 'create', '--help']), runCli(['--help'])])
    expect(group.code).toBe(0)
    for (const sub of ['list', 'create', 'rename', 'delete', 'restore']) expect(group.stdout).toMatch(new RegExp(`^  ${sub}\\s`, 'm'))
    expect(leaf.code).toBe(0)
    expect(leaf.stdout).toContain('--experiment-name <name>')
    expect(leaf.stdout).toContain('Examples:\n  logbook experiments create')
    expect(top.code).toBe(0)
    for (const cmd of ['server', 'gc', 'experiments', 'runs', 'metrics', 'artifacts', 'db', 'completion']) expect(top.stdout).toMatch(new RegExp(`^  ${cmd}\\s`, 'm'))
  }, 300_000)
})
