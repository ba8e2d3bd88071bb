import { inflateSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parse as parseYaml } from 'yaml'
import type { LoggedModel, ModelVersion, RegisteredModel, Run } from '@logbook/core'
import { LogbookClient, proxyArtifactRoot } from '@logbook/sdk'
import { startTestServer, type TestServer } from '../../../sdk/src/testing/server.ts'
import { crc32 } from './png.ts'
import { seedDemo, type DemoSummary } from './seed.ts'

let server: TestServer
let client: LogbookClient
let demo: DemoSummary

const API = '/api/2.0/mlflow'
const get = <T>(route: string, query: Record<string, string>) =>
  client.transport.json<T>('GET', `${API}/${route}?${new URLSearchParams(query).toString()}`)
const tag = (run: Run, key: string) => run.data.tags.find((t) => t.key === key)?.value

async function runArtifact(run: Run, path: string): Promise<Uint8Array> {
  return client.downloadArtifact(`${proxyArtifactRoot(run.info.artifact_uri)}/${path}`)
}

beforeAll(async () => {
  server = await startTestServer()
  client = new LogbookClient({ trackingUri: server.url })
  demo = await seedDemo(server.url, { scale: 'small' })
})
afterAll(() => server?.dispose())

describe('seedDemo (small)', () => {
  it('creates the three experiments with the runs it reports', async () => {
    const { experiments } = await client.searchExperiments()
    expect(experiments.map((e) => e.name).sort()).toEqual([
      'Default',
      'house-prices',
      'llm-eval',
      'mnist-cnn',
    ])
    expect(demo.experiments.map((e) => e.name)).toEqual(['mnist-cnn', 'house-prices', 'llm-eval'])
    const ids = demo.experiments.map((e) => e.id)
    const all = await client.searchRuns({ experimentIds: ids, viewType: 'ALL' })
    const active = await client.searchRuns({ experimentIds: ids })
    expect(all.runs.length).toBe(demo.runCount)
    expect(demo.runCount).toBeGreaterThanOrEqual(12)
    expect(active.runs.length).toBe(demo.runCount - demo.deletedRunIds.length)
    expect(demo.deletedRunIds.length).toBeGreaterThan(0)
    for (const e of demo.experiments) {
      const runs = await client.searchRuns({ experimentIds: [e.id], viewType: 'ALL' })
      expect(runs.runs.map((r) => r.info.run_id).sort()).toEqual([...e.runIds].sort())
    }
    const mnist = await client.getExperimentByName('mnist-cnn')
    expect(mnist.tags.find((t) => t.key === 'mlflow.note.content')?.value).toMatch(/^# MNIST/)
  })

  it('logs a sweep as a parent run with children', async () => {
    expect(demo.sweep.childRunIds.length).toBeGreaterThanOrEqual(3)
    const children = await client.searchRuns({
      experimentIds: [demo.sweep.experimentId],
      filter: `tags.mlflow.parentRunId = '${demo.sweep.parentRunId}'`,
    })
    expect(children.runs.map((r) => r.info.run_id).sort()).toEqual(
      [...demo.sweep.childRunIds].sort(),
    )
    const parent = await client.getRun(demo.sweep.parentRunId)
    expect(parent.info.status).toBe('FINISHED')
    for (const child of children.runs) {
      expect(child.info.start_time).toBeGreaterThanOrEqual(parent.info.start_time)
      expect(child.info.end_time).toBeLessThanOrEqual(parent.info.end_time ?? 0)
    }
  })

  it('records realistic runs: MLflow tags, params, curves, datasets, statuses and a NaN', async () => {
    const run = await client.getRun(demo.runs.showcase)
    expect(run.info.status).toBe('FINISHED')
    expect(run.info.end_time! - run.info.start_time).toBeGreaterThan(60_000)
    expect(tag(run, 'mlflow.runName')).toBe('baseline-cnn')
    expect(tag(run, 'mlflow.source.git.commit')).toMatch(/^[0-9a-f]{40}$/)
    expect(tag(run, 'mlflow.user')).toBe('ada')
    expect(tag(run, 'mlflow.note.content')).toContain('## Baseline CNN')
    expect(run.data.params.map((p) => p.key)).toEqual(
      expect.arrayContaining(['lr', 'batch_size', 'optimizer', 'layers', 'dropout']),
    )
    expect(run.data.metrics.map((m) => m.key)).toEqual(
      expect.arrayContaining(['val_accuracy', 'train_loss', 'system/cpu_utilization_percentage']),
    )
    const loss = await client.getMetricHistory(run.info.run_id, 'train_loss')
    const acc = await client.getMetricHistory(run.info.run_id, 'val_accuracy')
    expect(loss.length).toBe(12)
    expect(loss.at(-1)!.value).toBeLessThan(loss[0]!.value / 5)
    expect(acc.at(-1)!.value).toBeGreaterThan(0.97)
    expect(acc.at(-1)!.value).toBeGreaterThan(acc[0]!.value)
    expect(
      (await client.getMetricHistory(run.info.run_id, 'train/batch_loss')).length,
    ).toBeGreaterThan(500)
    const inputs = (run.inputs.dataset_inputs ?? []).map((d) => [
      d.dataset.name,
      d.tags.find((t) => t.key === 'mlflow.data.context')?.value,
    ])
    expect(inputs.sort()).toEqual([
      ['mnist-test', 'evaluation'],
      ['mnist-train', 'training'],
    ])

    const failed = await client.getRun(demo.runs.failed)
    expect(failed.info.status).toBe('FAILED')
    expect(
      Number.isNaN((await client.getMetricHistory(demo.runs.failed, 'train_loss')).at(-1)!.value),
    ).toBe(true)
    expect((await client.getRun(demo.runs.running)).info.status).toBe('RUNNING')
    expect((await client.getRun(demo.runs.running)).info.end_time ?? 0).toBe(0)
    expect((await client.getRun(demo.runs.killed)).info.status).toBe('KILLED')
    const deleted = await client.getRun(demo.deletedRunIds[0]!)
    expect(deleted.info.lifecycle_stage).toBe('deleted')
  })

  it('uploads artifacts of every kind, including a valid PNG', async () => {
    const run = await client.getRun(demo.runs.showcase)
    const root = proxyArtifactRoot(run.info.artifact_uri)
    const top = (await client.listArtifacts(root)).map((f) => f.path).sort()
    expect(top).toEqual(['config.yaml', 'logs', 'metrics', 'plots', 'predictions', 'report.html'])
    expect(demo.showcaseArtifacts).toEqual(
      expect.arrayContaining([
        'plots/confusion_matrix.png',
        'plots/per_class_f1.svg',
        'predictions/misclassified.csv',
        'metrics/classification_report.json',
        'config.yaml',
        'logs/train.log',
        'report.html',
      ]),
    )
    const png = await runArtifact(run, 'plots/confusion_matrix.png')
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
    const view = new DataView(png.buffer, png.byteOffset, png.byteLength)
    expect(String.fromCharCode(...png.subarray(12, 16))).toBe('IHDR')
    expect(view.getUint32(29)).toBe(crc32(png.subarray(12, 29)))
    const [width, height] = [view.getUint32(16), view.getUint32(20)]
    const idatLength = view.getUint32(33)
    expect(String.fromCharCode(...png.subarray(37, 41))).toBe('IDAT')
    expect(inflateSync(png.subarray(41, 41 + idatLength)).length).toBe(height * (width * 3 + 1))
    const svg = new TextDecoder().decode(await runArtifact(run, 'plots/per_class_f1.svg'))
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/)
    const report = JSON.parse(
      new TextDecoder().decode(await runArtifact(run, 'metrics/classification_report.json')),
    ) as Record<string, unknown>
    expect(Object.keys(report)).toContain('accuracy')
    const config = parseYaml(new TextDecoder().decode(await runArtifact(run, 'config.yaml'))) as {
      training: { optimizer: string }
    }
    expect(config.training.optimizer).toBe('adam')

    const regression = await client.getRun(demo.runs.regression)
    const mlmodel = parseYaml(
      new TextDecoder().decode(await runArtifact(regression, 'model/MLmodel')),
    ) as { flavors: Record<string, unknown>; run_id: string }
    expect(Object.keys(mlmodel.flavors).sort()).toEqual(['python_function', 'sklearn'])
    expect(mlmodel.run_id).toBe(demo.runs.regression)
    expect((await runArtifact(regression, 'model/model.pkl')).length).toBe(32_000)

    const llm = await client.getRun(demo.runs.llm)
    const table = JSON.parse(
      new TextDecoder().decode(await runArtifact(llm, 'eval_results_table.json')),
    ) as { columns: string[]; data: unknown[][] }
    expect(table.columns).toContain('exact_match')
    expect(table.data.length).toBe(25)
  })

  it('registers demo-classifier with versions, stages, aliases and logged models', async () => {
    const { classifier, regressor } = demo.models
    expect(classifier).toMatchObject({
      name: 'demo-classifier',
      versions: ['1', '2', '3'],
      aliases: { champion: '2', challenger: '3' },
      stagingVersion: '3',
    })
    const { registered_model: model } = await get<{ registered_model: RegisteredModel }>(
      'registered-models/get',
      { name: 'demo-classifier' },
    )
    expect(model.aliases.map((a) => `${a.alias}=${a.version}`).sort()).toEqual([
      'challenger=3',
      'champion=2',
    ])
    expect(model.tags.find((t) => t.key === 'task')?.value).toBe('image-classification')
    const { model_version: champion } = await get<{ model_version: ModelVersion }>(
      'registered-models/alias',
      { name: 'demo-classifier', alias: 'champion' },
    )
    expect(champion).toMatchObject({
      version: '2',
      current_stage: 'Production',
      run_id: demo.runs.showcase,
    })
    const staging = await get<{ model_version: ModelVersion }>('model-versions/get', {
      name: 'demo-classifier',
      version: '3',
    })
    expect(staging.model_version.current_stage).toBe('Staging')

    const logged = await get<{ model: LoggedModel }>(
      `logged-models/${classifier.loggedModelIds[1]}`,
      {},
    )
    expect(logged.model.info).toMatchObject({
      status: 'LOGGED_MODEL_READY',
      source_run_id: demo.runs.showcase,
    })
    expect(logged.model.data.metrics.map((m) => m.key).sort()).toEqual([
      'test_accuracy',
      'val_loss',
    ])
    const files = await get<{ files?: { path: string }[] }>(
      `logged-models/${logged.model.info.model_id}/artifacts/directories`,
      {},
    )
    expect(files.files?.map((f) => f.path).sort()).toEqual([
      'MLmodel',
      'conda.yaml',
      'data',
      'input_example.json',
      'python_env.yaml',
      'requirements.txt',
    ])
    const mlmodel = parseYaml(
      new TextDecoder().decode(
        await client.downloadArtifact(
          `${proxyArtifactRoot(logged.model.info.artifact_uri)}/MLmodel`,
        ),
      ),
    ) as { flavors: Record<string, unknown>; model_id: string }
    expect(Object.keys(mlmodel.flavors).sort()).toEqual(['python_function', 'pytorch'])
    expect(mlmodel.model_id).toBe(logged.model.info.model_id)
    const showcase = await client.getRun(demo.runs.showcase)
    expect((showcase.outputs.model_outputs ?? []).map((o) => o.model_id)).toEqual([
      logged.model.info.model_id,
    ])

    const { model_version: regressorVersion } = await get<{ model_version: ModelVersion }>(
      'model-versions/get',
      { name: regressor.name, version: '1' },
    )
    expect(regressorVersion.source).toBe(`runs:/${demo.runs.regression}/model`)
  })

  it('refuses, before writing anything, when the demo names are taken', async () => {
    await expect(seedDemo(server.url, { scale: 'small' })).rejects.toThrow(
      /already has experiment 'mnist-cnn', experiment 'house-prices', experiment 'llm-eval', registered model 'demo-classifier', registered model 'house-prices-regressor'; the demo needs these names free/,
    )
    const other = await startTestServer()
    try {
      const otherClient = new LogbookClient({ trackingUri: other.url })
      await otherClient.createExperiment('house-prices')
      const error = await seedDemo(other.url, { scale: 'small' }).catch((e: unknown) => e)
      expect((error as Error).name).toBe('DemoNameClashError')
      expect((error as Error).message).toMatch(/already has experiment 'house-prices';/)
      const { experiments } = await otherClient.searchExperiments()
      expect(experiments.map((e) => e.name).sort()).toEqual(['Default', 'house-prices'])
    } finally {
      await other.dispose()
    }
  })
})
