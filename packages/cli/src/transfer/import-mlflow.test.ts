/**
 * import-mlflow from MLflow's OWN server (from the test virtualenv), filled by MLflow's own Python
 * client, into a real Logbook server; checked through Logbook's API and against an export of MLflow.
 */
import { execFile } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LogbookClient } from '@logbook/sdk'
import { requireComponent } from '../../../store/src/testing/require-component.ts'
import { startTestServer } from '../../../sdk/src/testing/server.ts'
import type { TestServer } from '../../../sdk/src/testing/server.ts'
import { exportCommand } from '../commands/export.ts'
import { importMlflowCommand } from '../commands/import-mlflow.ts'
import { VENV_BIN, mlflowAvailable, startMlflowServer } from './testing/mlflow-server.ts'
import type { MlflowServer } from './testing/mlflow-server.ts'
import { readExportTree } from './testing/export-tree.ts'

const available = mlflowAvailable()
const POPULATE = fileURLToPath(new URL('./testing/populate_mlflow.py', import.meta.url))
const T0 = 1_700_000_000_000

interface Populated {
  experiment_id: string
  outer: string
  inner: string
  failed: string
  version: string
  source: string
  logged_model: string
}

describe.skipIf(!requireComponent('MLflow', available.ok, available.why))('logbook import-mlflow', () => {
  let mlflow: MlflowServer
  let logbook: TestServer
  let logged: Populated
  let dir: string

  beforeAll(async () => {
    ;[mlflow, logbook] = await Promise.all([startMlflowServer(), startTestServer()])
    dir = await mkdtemp(join(tmpdir(), 'logbook-import-mlflow-'))
    const { stdout } = await promisify(execFile)(join(VENV_BIN, 'python'), [POPULATE, mlflow.url], {
      env: { ...process.env, MLFLOW_TRACKING_URI: mlflow.url },
    })
    logged = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as Populated
  }, 240_000)

  afterAll(async () => {
    await Promise.all([mlflow?.dispose(), logbook?.dispose()])
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  it('copies experiments, runs, metrics, artifacts and the registry', async () => {
    expect(await importMlflowCommand(['--from', mlflow.url, '--tracking-uri', logbook.url, '--quiet'])).toBe(0)
    const client = new LogbookClient({ trackingUri: logbook.url })

    const exp = await client.getExperimentByName('from-mlflow')
    expect(exp.tags).toContainEqual({ key: 'team', value: 'nlp' })
    const { runs } = await client.searchRuns({ experimentIds: [exp.experiment_id], viewType: 'ALL' })
    const byName = new Map(runs.map((r) => [r.info.run_name, r]))
    expect([...byName.keys()].sort()).toEqual(['failed-one', 'inner', 'outer'])
    const outer = byName.get('outer')!
    const inner = byName.get('inner')!
    expect(outer.info.run_id).not.toBe(logged.outer)
    expect(outer.data.params).toEqual(expect.arrayContaining([{ key: 'lr', value: '0.1' }, { key: 'layers', value: '3' }]))
    expect(outer.data.tags).toContainEqual({ key: 'stage', value: 'prod' })
    expect(outer.info.status).toBe('FINISHED')
    expect(outer.inputs.dataset_inputs).toHaveLength(1)
    expect(outer.inputs.dataset_inputs?.[0]!.dataset.name).toBe('tiny')
    expect(outer.inputs.dataset_inputs?.[0]!.tags).toContainEqual({ key: 'mlflow.data.context', value: 'training' })
    expect(inner.data.tags).toContainEqual({ key: 'mlflow.parentRunId', value: outer.info.run_id })
    expect(byName.get('failed-one')!.info).toMatchObject({ status: 'FAILED', end_time: T0 + 99 })

    const loss = await client.getMetricHistory(outer.info.run_id, 'loss')
    expect(loss).toHaveLength(51)
    const sorted = [...loss].sort((x, y) => x.step - y.step)
    expect(sorted.slice(0, 50).map((m) => [m.step, m.timestamp, m.value])).toEqual(
      Array.from({ length: 50 }, (_, s) => [s, T0 + s, 1 / (s + 1)]),
    )
    expect(sorted[50]).toMatchObject({ step: 50, timestamp: T0 + 50 })
    expect(Number.isNaN(sorted[50]!.value)).toBe(true)
    expect((await client.getMetricHistory(inner.info.run_id, 'acc')).map((m) => [m.step, m.timestamp, m.value])).toEqual([[3, T0 + 7, 0.9]])

    const root = outer.info.artifact_uri.replace(/^mlflow-artifacts:\/*/, '')
    expect(new TextDecoder().decode(await client.downloadArtifact(`${root}/outputs/report.txt`))).toBe('accuracy went up\n')
    const weights = await client.downloadArtifact(`${root}/outputs/sub/weights.bin`)
    expect(weights).toHaveLength(1024)
    expect([...weights.slice(0, 256)]).toEqual(Array.from({ length: 256 }, (_, i) => i))

    const model = await client.transport.json<any>('GET', '/api/2.0/mlflow/registered-models/get?name=mlflow-model')
    expect(model.registered_model).toMatchObject({
      description: 'from MLflow',
      tags: [{ key: 'owner', value: 'nlp' }],
      aliases: [{ alias: 'prod', version: '1' }],
    })
    const version = await client.transport.json<any>('GET', '/api/2.0/mlflow/model-versions/get?name=mlflow-model&version=1')
    expect(version.model_version).toMatchObject({
      run_id: outer.info.run_id,
      source: `${outer.info.artifact_uri}/outputs`,
      description: 'v1',
      tags: [{ key: 'quality', value: 'good' }],
    })

    // MLflow 3's log_model(registered_model_name=...): a logged model with files, and a version of it.
    const found = await client.transport.json<any>('POST', '/api/2.0/mlflow/logged-models/search', {
      json: { experiment_ids: [exp.experiment_id] },
    })
    expect(found.models).toHaveLength(1)
    const echo = found.models[0].info
    expect(echo).toMatchObject({ name: 'echo', source_run_id: outer.info.run_id, status: 'LOGGED_MODEL_READY' })
    expect(echo.model_id).not.toBe(logged.logged_model)
    const mlmodel = await client.transport.request(
      'GET',
      `/ajax-api/2.0/mlflow/logged-models/${echo.model_id}/artifacts/files?artifact_file_path=MLmodel`,
    )
    expect(await mlmodel.text()).toContain('python_function')
    const echoVersion = await client.transport.json<any>('GET', '/api/2.0/mlflow/model-versions/get?name=echo-model&version=1')
    expect(echoVersion.model_version).toMatchObject({ source: `models:/${echo.model_id}`, run_id: outer.info.run_id })
    expect(outer.outputs.model_outputs?.map((o) => o.model_id)).toEqual([echo.model_id])
  }, 300_000)

  it('carries the same data as an export of the MLflow server (one mapping for both paths)', async () => {
    const fromMlflow = join(dir, 'mlflow')
    const fromLogbook = join(dir, 'logbook')
    expect(await exportCommand(['--tracking-uri', mlflow.url, '--all', '--dest', fromMlflow, '--quiet'])).toBe(0)
    expect(await exportCommand(['--tracking-uri', logbook.url, '--all', '--dest', fromLogbook, '--quiet'])).toBe(0)
    expect(await readExportTree(fromLogbook)).toEqual(await readExportTree(fromMlflow))
  }, 300_000)
})
