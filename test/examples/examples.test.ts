/**
 * examples/train.ts (Logbook's SDK) and examples/train.py (MLflow's Python client) run against a
 * live `logbook server`; their runs are checked through the API.
 */
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LogbookClient } from '../../packages/sdk/src/index.ts'
import type { Run } from '../../packages/core/src/index.ts'
import { requireComponent } from '../../packages/store/src/testing/require-component.ts'
import { startTestServer } from '../../packages/sdk/src/testing/server.ts'
import type { TestServer } from '../../packages/sdk/src/testing/server.ts'

const root = fileURLToPath(new URL('../../', import.meta.url))
const PYTHON = `${root}.venv/bin/python`
const TSX = `${root}node_modules/.bin/tsx`

let server: TestServer
let client: LogbookClient

beforeAll(async () => {
  server = await startTestServer()
  client = new LogbookClient({ trackingUri: server.url })
})
afterAll(async () => {
  await server?.dispose()
})

/** Run an example with the tracking URI set; resolves with its run id and output. */
function runExample(file: string, args: string[]): Promise<{ runId: string; stdout: string }> {
  const env = { ...process.env, LOGBOOK_TRACKING_URI: server.url, MLFLOW_TRACKING_URI: server.url }
  const [cmd, argv] = file.endsWith('.py') ? [PYTHON, [file, ...args]] : [TSX, [file, ...args]]
  return new Promise((resolve, reject) => {
    execFile(cmd, argv, { env, cwd: root, timeout: 170_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${file} failed: ${error.message}\n${stderr}`))
      else resolve({ runId: /RUN_ID=(\w+)/.exec(stdout)?.[1] ?? '', stdout })
    })
  })
}

const kv = (list: { key: string; value: string }[]): Record<string, string> =>
  Object.fromEntries(list.map((t) => [t.key, t.value]))

async function artifact(run: Run, path: string): Promise<Uint8Array> {
  const rootPath = run.info.artifact_uri.replace(/^mlflow-artifacts:\/*/, '')
  return client.downloadArtifact(`${rootPath}/${path}`)
}

/** Per-epoch metrics: one point per epoch at steps 0..epochs-1, final accuracy high. */
async function checkCurves(runId: string, epochs: number, minAccuracy: number): Promise<void> {
  for (const key of ['train_loss', 'train_accuracy', 'test_loss', 'test_accuracy']) {
    const history = await client.getMetricHistory(runId, key)
    expect(history.map((m) => m.step).sort((a, b) => a - b)).toEqual(
      Array.from({ length: epochs }, (_, i) => i),
    )
  }
  const loss = await client.getMetricHistory(runId, 'train_loss')
  const byStep = new Map(loss.map((m) => [m.step, m.value]))
  expect(byStep.get(epochs - 1)).toBeLessThan(byStep.get(0) as number)
  const acc = (await client.getRun(runId)).data.metrics.find((m) => m.key === 'test_accuracy')
  expect(acc?.value).toBeGreaterThanOrEqual(minAccuracy)
}

describe('examples against a live server', () => {
  it('examples/train.ts logs params, per-epoch metrics, a plot and the model', async () => {
    const { runId, stdout } = await runExample('examples/train.ts', ['--epochs', '200'])
    expect(stdout).toMatch(/test accuracy \d+\.\d% after 200 epochs/)
    const run = await client.getRun(runId)
    expect(run.info.status).toBe('FINISHED')
    expect(kv(run.data.params)).toMatchObject({ epochs: '200', lr: '0.5', hidden: '8' })
    const tags = kv(run.data.tags)
    expect(tags['mlflow.source.name']).toBe(`${root}examples/train.ts`)
    expect(tags.language).toBe('typescript')
    expect(run.inputs.dataset_inputs?.[0]?.dataset.name).toBe('iris')
    await checkCurves(runId, 200, 0.85)

    const svg = new TextDecoder().decode(await artifact(run, 'plots/training.svg'))
    expect(svg).toMatch(/^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/)
    expect(svg.match(/<polyline /g)).toHaveLength(3)
    const model = JSON.parse(new TextDecoder().decode(await artifact(run, 'model/model.json'))) as {
      w1: number[][]
      w2: number[][]
      classes: string[]
    }
    expect(model.classes).toEqual(['setosa', 'versicolor', 'virginica'])
    expect([model.w1.length, model.w1[0]?.length, model.w2.length]).toEqual([8, 4, 3])
  })

  const python = requireComponent(
    'Python with MLflow (.venv)',
    existsSync(PYTHON),
    `${PYTHON} not found; create the venv from test/compat/requirements.txt`,
  )
  it.skipIf(!python)(
    'examples/train.py logs the same through the MLflow client, with a logged model',
    async () => {
      const { runId } = await runExample('examples/train.py', ['--epochs', '30'])
      const run = await client.getRun(runId)
      expect(run.info.status).toBe('FINISHED')
      expect(kv(run.data.params)).toMatchObject({ epochs: '30', model: 'SGDClassifier(log_loss)' })
      expect(kv(run.data.tags).language).toBe('python')
      expect(run.inputs.dataset_inputs?.[0]?.dataset.name).toBe('iris')
      await checkCurves(runId, 30, 0.8)
      const png = await artifact(run, 'plots/training.png')
      expect([...png.slice(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47])

      const { models } = await client.models.search({ experimentIds: [run.info.experiment_id] })
      const model = models.find((m) => m.info.source_run_id === runId)
      expect(model?.info.status).toBe('LOGGED_MODEL_READY')
      const files = (await client.models.listArtifacts(model?.info.model_id ?? '')).map(
        (f) => f.path,
      )
      expect(files).toEqual(expect.arrayContaining(['MLmodel', 'requirements.txt']))
      expect(files.some((f) => f.startsWith('model.'))).toBe(true)
    },
    180_000,
  )
})
