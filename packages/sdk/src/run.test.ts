import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LogbookClient } from './client.ts'
import { isMlflowError } from '@logbook/core'
import { startRun } from './start-run.ts'
import { startTestServer } from './testing/server.ts'
import type { TestServer } from './testing/server.ts'

let server: TestServer
let client: LogbookClient

beforeAll(async () => {
  server = await startTestServer()
  client = new LogbookClient({ trackingUri: server.url })
})
afterAll(async () => {
  await server?.dispose()
})

const tagsOf = (list: { key: string; value: string }[]): Record<string, string> =>
  Object.fromEntries(list.map((t) => [t.key, t.value]))

describe('fluent run API against a real server', () => {
  it('logs params, metrics, tags, artifacts and a nested run, read back by the client', async () => {
    const parent = await startRun({
      client,
      experiment: 'fluent',
      name: 'parent',
      tags: { team: 'ml' },
    })
    await parent.logParams({ lr: 0.01, layers: 3 })
    await parent.logParam('optimizer', 'adam')
    for (let step = 0; step < 5; step++) parent.logMetric('loss', 1 / (step + 1), { step })
    parent.logMetrics({ acc: 0.9, f1: 0.8 }, { step: 4 })
    await parent.setTags({ stage: 'dev' })
    await parent.logText('hello', 'notes/readme.txt')
    await parent.logJson({ a: 1 }, 'config.json')
    await parent.logInput(
      { name: 'ds', digest: 'abc123', source_type: 'code', source: '{}' },
      { context: 'training' },
    )
    const child = await startRun({ client, experiment: { id: parent.experimentId }, parent })
    child.logMetric('inner', 1)
    await child.end({ status: 'KILLED' })
    await parent.end()

    const got = await client.getRun(parent.id)
    expect(got.info.status).toBe('FINISHED')
    expect(got.info.run_name).toBe('parent')
    expect(tagsOf(got.data.params)).toEqual({ lr: '0.01', layers: '3', optimizer: 'adam' })
    expect(tagsOf(got.data.tags)).toMatchObject({ team: 'ml', stage: 'dev' })
    const latest = Object.fromEntries(got.data.metrics.map((m) => [m.key, m]))
    expect(latest.loss).toMatchObject({ value: 0.2, step: 4 })
    expect(latest.acc?.value).toBe(0.9)
    expect((await client.getMetricHistory(parent.id, 'loss')).map((m) => m.step)).toEqual([
      0, 1, 2, 3, 4,
    ])
    expect(got.inputs.dataset_inputs?.[0]?.dataset.name).toBe('ds')

    const root = got.info.artifact_uri.replace(/^mlflow-artifacts:\/*/, '')
    const text = await client.downloadArtifact(`${root}/notes/readme.txt`)
    expect(new TextDecoder().decode(text)).toBe('hello')
    const json = await client.downloadArtifact(`${root}/config.json`)
    expect(JSON.parse(new TextDecoder().decode(json))).toEqual({ a: 1 })
    expect((await client.listArtifacts(root)).map((f) => f.path)).toEqual(['config.json', 'notes'])

    const nested = await client.getRun(child.id)
    expect(nested.info.status).toBe('KILLED')
    expect(tagsOf(nested.data.tags)['mlflow.parentRunId']).toBe(parent.id)
    expect(nested.data.metrics.map((m) => m.key)).toEqual(['inner'])
  })

  it('creates a named experiment once even when two runs race for it', async () => {
    const [a, b] = await Promise.all([
      startRun({ client, experiment: 'race' }),
      startRun({ client, experiment: 'race' }),
    ])
    expect(a.experimentId).toBe(b.experimentId)
    await Promise.all([a.end(), b.end()])
  })

  it('round-trips NaN and infinities', async () => {
    const run = await startRun({ client })
    run.logMetric('odd', Number.NaN, { step: 0 })
    run.logMetric('odd', Number.POSITIVE_INFINITY, { step: 1 })
    run.logMetric('odd', Number.NEGATIVE_INFINITY, { step: 2 })
    await run.flush()
    const values = (await client.getMetricHistory(run.id, 'odd')).map((m) => [m.step, m.value])
    expect(values.sort((x, y) => (x[0] as number) - (y[0] as number))).toEqual([
      [0, Number.NaN],
      [1, Number.POSITIVE_INFINITY],
      [2, Number.NEGATIVE_INFINITY],
    ])
    await client.logMetric(run.id, 'direct', Number.NaN)
    const direct = (await client.getRun(run.id)).data.metrics.find((m) => m.key === 'direct')
    expect(direct?.value).toBeNaN()
    await run.end()
  })

  it('ends the run FINISHED through await using', async () => {
    let id = ''
    {
      await using run = await startRun({ client })
      id = run.id
      run.logMetric('m', 1)
    }
    const got = await client.getRun(id)
    expect(got.info.status).toBe('FINISHED')
    expect(got.data.metrics).toHaveLength(1)
  })

  it('rebuilds MLflow errors and rejects bad metric keys and steps at the call', async () => {
    const missing = await client.getExperimentByName('nope').catch((e: unknown) => e)
    expect(isMlflowError(missing) && missing.code).toBe('RESOURCE_DOES_NOT_EXIST')

    const run = await startRun({ client })
    await run.logParam('p', 'v1')
    const changed = await run.logParam('p', 'v2').catch((e: unknown) => e)
    expect(isMlflowError(changed) && changed.code).toBe('INVALID_PARAMETER_VALUE')

    // Thrown synchronously, so no batch (and none of the good points in it) fails later.
    expect(() => run.logMetric('bad key//', 1)).toThrow(/Invalid metric name/)
    expect(() => run.logMetric('ok', 1, { step: 1.5 })).toThrow(/step must be an integer/)
    expect(() => run.logMetric('ok', '1' as unknown as number)).toThrow(/must be a number/)
    run.logMetric('ok', 1)
    await run.end()
    expect((await client.getRun(run.id)).data.metrics.map((m) => m.key)).toEqual(['ok'])
  })
})
