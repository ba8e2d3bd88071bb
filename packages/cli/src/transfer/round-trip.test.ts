/**
 * export -> import into a fresh server -> export again yields the same data (ids and export times
 * aside), between two real `logbook server` processes.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LogbookClient } from '@logbook/sdk'
import { startTestServer } from '../../../sdk/src/testing/server.ts'
import type { TestServer } from '../../../sdk/src/testing/server.ts'
import { exportCommand } from '../commands/export.ts'
import { importCommand } from '../commands/import.ts'
import { readExportTree } from './testing/export-tree.ts'

const BIG = 100_000
const T0 = 1_700_000_000_000

let a: TestServer
let b: TestServer
let dir: string

async function registry(client: LogbookClient, method: string, route: string, json: unknown): Promise<any> {
  return client.transport.json(method, `/api/2.0/mlflow/${route}`, { json })
}

/** Nested runs, NaN/Infinity, a 100k-point metric, artifacts in folders, a deleted run, a model. */
async function populate(client: LogbookClient): Promise<void> {
  const exp = await client.createExperiment('round-trip', { tags: [{ key: 'team', value: 'vision' }] })
  const parent = await client.createRun({ experimentId: exp, runName: 'parent', userId: 'alice', startTime: T0 })
  const pid = parent.info.run_id
  await client.logBatch(pid, {
    params: [{ key: 'lr', value: '0.01' }, { key: 'opt', value: 'adam' }],
    tags: [{ key: 'stage', value: 'dev' }, { key: 'mlflow.source.name', value: 'train.py' }],
    metrics: [
      { key: 'loss', value: 1.5, timestamp: T0 + 1, step: 0 },
      { key: 'loss', value: Number.NaN, timestamp: T0 + 2, step: 1 },
      { key: 'loss', value: Number.POSITIVE_INFINITY, timestamp: T0 + 3, step: 2 },
      { key: 'loss', value: Number.NEGATIVE_INFINITY, timestamp: T0 + 4, step: 3 },
      { key: 'loss', value: 0.25, timestamp: T0 + 4, step: 3 },
      { key: 'acc/top-1', value: 0.5, timestamp: T0 + 5, step: -1 },
    ],
  })
  await client.logInputs(pid, [
    {
      tags: [{ key: 'mlflow.data.context', value: 'training' }],
      dataset: { name: 'mnist', digest: 'abc123', source_type: 'local', source: '/data/mnist', schema: '{}', profile: '{"rows": 10}' },
    },
  ])
  const root = parent.info.artifact_uri.replace(/^mlflow-artifacts:\/*/, '')
  await client.uploadArtifact(`${root}/model/MLmodel`, 'flavors: {}\n')
  await client.uploadArtifact(`${root}/plots/deep/nested/curve.bin`, new Uint8Array([0, 1, 2, 255, 254]))
  await client.uploadArtifact(`${root}/notes.txt`, 'hello\n')
  await client.uploadArtifact(`${root}/plots/empty.txt`, '')
  await client.updateRun(pid, { status: 'FINISHED', endTime: T0 + 10_000 })

  const child = await client.createRun({
    experimentId: exp,
    runName: 'child',
    userId: 'bob',
    startTime: T0 + 100,
    tags: [{ key: 'mlflow.parentRunId', value: pid }],
  })
  const cid = child.info.run_id
  for (let start = 0; start < BIG; start += 1000) {
    const metrics = Array.from({ length: 1000 }, (_, i) => ({
      key: 'big',
      value: (start + i) % 997 === 0 ? Number.NaN : Math.sin(start + i),
      timestamp: T0 + start + i,
      step: start + i,
    }))
    await client.logBatch(cid, { metrics })
  }
  await client.updateRun(cid, { status: 'FAILED', endTime: T0 + 20_000 })

  const gone = await client.createRun({ experimentId: exp, runName: 'deleted-one', startTime: T0 + 200 })
  await client.logParam(gone.info.run_id, 'x', '1')
  await client.deleteRun(gone.info.run_id)

  const running = await client.createRun({ experimentId: exp, runName: 'still-running', startTime: T0 + 300 })
  await client.setTag(running.info.run_id, 'note', 'never ended')

  await registry(client, 'POST', 'registered-models/create', {
    name: 'digits',
    description: 'digit classifier',
    tags: [{ key: 'owner', value: 'alice' }],
  })
  await registry(client, 'POST', 'model-versions/create', {
    name: 'digits',
    source: `runs:/${pid}/model`,
    run_id: pid,
    tags: [{ key: 'quality', value: 'ok' }],
    description: 'first',
  })
  await registry(client, 'POST', 'model-versions/create', {
    name: 'digits',
    source: `${child.info.artifact_uri}/model`,
    run_id: cid,
  })
  const logged = await registry(client, 'POST', 'logged-models', {
    experiment_id: exp,
    name: 'cnn',
    model_type: 'pytorch',
    source_run_id: pid,
    params: [{ key: 'depth', value: '3' }],
    tags: [{ key: 'framework', value: 'torch' }],
  })
  const mid: string = logged.model.info.model_id
  const modelRoot = (logged.model.info.artifact_uri as string).replace(/^mlflow-artifacts:\/*/, '')
  await client.uploadArtifact(`${modelRoot}/MLmodel`, 'artifact_path: cnn\n')
  await client.uploadArtifact(`${modelRoot}/data/model.pth`, new Uint8Array([9, 8, 7]))
  await registry(client, 'PATCH', `logged-models/${mid}`, { model_id: mid, status: 'LOGGED_MODEL_READY' })
  await registry(client, 'POST', 'runs/outputs', { run_id: pid, models: [{ model_id: mid, step: 0 }] })
  await registry(client, 'POST', 'model-versions/create', { name: 'digits', source: `models:/${mid}`, model_id: mid })
  await registry(client, 'POST', 'registered-models/alias', { name: 'digits', alias: 'champion', version: '1' })
  await registry(client, 'POST', 'model-versions/transition-stage', {
    name: 'digits',
    version: '2',
    stage: 'Staging',
    archive_existing_versions: false,
  })
}

beforeAll(async () => {
  ;[a, b] = await Promise.all([startTestServer(), startTestServer()])
  dir = await mkdtemp(join(tmpdir(), 'logbook-roundtrip-'))
  await populate(new LogbookClient({ trackingUri: a.url }))
}, 180_000)

afterAll(async () => {
  await Promise.all([a?.dispose(), b?.dispose()])
  if (dir) await rm(dir, { recursive: true, force: true })
})

describe('export -> import -> export', () => {
  it('reproduces every experiment, run, metric point, artifact and model', async () => {
    const first = join(dir, 'first')
    const second = join(dir, 'second')
    expect(await exportCommand(['--tracking-uri', a.url, '--all', '--dest', first, '--quiet'])).toBe(0)
    expect(await importCommand(['--tracking-uri', b.url, '--src', first, '--quiet'])).toBe(0)
    expect(await exportCommand(['--tracking-uri', b.url, '--all', '--dest', second, '--quiet'])).toBe(0)

    const before = await readExportTree(first)
    const after = await readExportTree(second)
    expect(after).toEqual(before)

    // The comparison is only meaningful if the first export holds what was logged.
    const runs = (before.experiments as any)['round-trip'].runs
    expect(Object.keys(runs).sort()).toEqual(['child', 'deleted-one', 'parent', 'still-running'])
    expect(runs.child.metrics.big).toHaveLength(BIG)
    expect(runs.child.metrics.big.filter((p: string) => p.endsWith('"NaN"'))).toHaveLength(101)
    expect(runs.child.parent).toBe('parent')
    expect(runs.child.status).toBe('FAILED')
    expect(runs.child.endTime).toBe(T0 + 20_000)
    expect(runs.parent.metrics.loss).toEqual([
      `0|${T0 + 1}|1.5`,
      `1|${T0 + 2}|"NaN"`,
      `2|${T0 + 3}|"Infinity"`,
      `3|${T0 + 4}|"-Infinity"`,
      `3|${T0 + 4}|0.25`,
    ])
    expect(runs.parent.userId).toBe('alice')
    expect(Object.keys(runs.parent.artifacts).sort()).toEqual(['model/MLmodel', 'notes.txt', 'plots/deep/nested/curve.bin', 'plots/empty.txt'])
    expect(runs.parent.datasetInputs[0].dataset.name).toBe('mnist')
    expect(runs['deleted-one'].lifecycleStage).toBe('deleted')
    expect(runs['still-running'].status).toBe('RUNNING')
    const model = (before.models as any).digits
    expect(model.aliases).toEqual([{ alias: 'champion', version: '1' }])
    expect(model.versions.map((v: any) => [v.source, v.run, v.stage])).toEqual([
      ['runs:/<parent>/model', 'parent', 'None'],
      ['<root of child>/model', 'child', 'Staging'],
      ['models:/<cnn>', 'parent', 'None'],
    ])
    const cnn = (before.experiments as any)['round-trip'].loggedModels.cnn
    expect(cnn).toMatchObject({ modelType: 'pytorch', status: 'LOGGED_MODEL_READY', sourceRun: 'parent' })
    expect(Object.keys(cnn.artifacts).sort()).toEqual(['MLmodel', 'data/model.pth'])
    expect(runs.parent.modelOutputs).toEqual([{ model: 'cnn', step: 0 }])

    const manifest = JSON.parse(await readFile(join(second, 'manifest.json'), 'utf8'))
    expect(manifest.format).toBe('logbook-export')
    expect(manifest.counts.runs).toBe(4)
    expect(manifest.counts.metricPoints).toBe(BIG + 6)
  }, 300_000)

  it('refuses to import over existing names before writing, unless a prefix and --merge allow it', async () => {
    const first = join(dir, 'first')
    const client = new LogbookClient({ trackingUri: b.url })
    const runsOf = async (name: string): Promise<number> => {
      const id = (await client.getExperimentByName(name)).experiment_id
      return (await client.searchRuns({ experimentIds: [id], viewType: 'ALL' })).runs.length
    }
    expect(await importCommand(['--tracking-uri', b.url, '--src', first, '--quiet'])).toBe(1)
    expect(await runsOf('round-trip')).toBe(4)

    const prefixed = ['--tracking-uri', b.url, '--src', first, '--quiet', '--experiment-name-prefix', 'copy/']
    // The experiment name is free, the model name is not: refused before any write.
    expect(await importCommand(prefixed)).toBe(1)
    await expect(client.getExperimentByName('copy/round-trip')).rejects.toMatchObject({ code: 'RESOURCE_DOES_NOT_EXIST' })

    expect(await importCommand([...prefixed, '--merge'])).toBe(0)
    expect(await runsOf('copy/round-trip')).toBe(4)
    const versions = await client.transport.json<any>('GET', '/api/2.0/mlflow/model-versions/search?filter=name%3D%27digits%27')
    expect(versions.model_versions).toHaveLength(6)
  }, 300_000)
})
