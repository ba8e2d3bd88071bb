import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LogbookStore } from '@logbook/store'
import { post, testApp } from '../testing.ts'

let app: Hono
let store: LogbookStore
let dir: string
let runId: string
let experimentId: string

beforeAll(async () => {
  ;({ app, store, dir } = await testApp())
  const res = await post(app, '/runs/create', { experiment_id: '0' })
  const info = ((await res.json()) as { run: { info: { run_id: string; experiment_id: string } } }).run.info
  ;({ run_id: runId, experiment_id: experimentId } = info)
  const put = (path: string, body: string) =>
    app.request(`/api/2.0/mlflow-artifacts/artifacts/${experimentId}/${runId}/artifacts/${path}`, { method: 'PUT', body })
  await put('model/MLmodel', 'flavors: {}\n')
  await put('plots/loss.png', 'png-bytes')
  await put('notes.txt', 'hello')
  // A file outside every run, which no request may read.
  await mkdir(join(dir, 'outside'), { recursive: true })
  await writeFile(join(dir, 'outside', 'secret.txt'), 'secret')
})
afterAll(() => store.close())

describe('run artifact routes', () => {
  it('lists relative to the run root, for the root and for folders, on both prefixes', async () => {
    for (const prefix of ['/api', '/ajax-api']) {
      const root = (await (await app.request(`${prefix}/2.0/mlflow/artifacts/list?run_id=${runId}`)).json()) as Record<string, any>
      expect(root.root_uri).toBe(`mlflow-artifacts:/${experimentId}/${runId}/artifacts`)
      expect(root.files).toEqual([
        { path: 'model', is_dir: true },
        { path: 'notes.txt', is_dir: false, file_size: 5 },
        { path: 'plots', is_dir: true },
      ])
    }
    const sub = (await (await app.request(`/api/2.0/mlflow/artifacts/list?run_id=${runId}&path=plots`)).json()) as Record<string, any>
    expect(sub.files).toEqual([{ path: 'plots/loss.png', is_dir: false, file_size: 9 }])
  })

  it('downloads through /get-artifact with MLflow headers', async () => {
    const res = await app.request(`/get-artifact?run_uuid=${runId}&path=model/MLmodel`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/plain')
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    expect(await res.text()).toBe('flavors: {}\n')
    expect((await app.request(`/get-artifact?run_id=${runId}&path=missing.txt`)).status).toBe(404)
  })

  it('refuses traversal out of the run root with 400 and reads nothing', async () => {
    for (const path of ['../../../outside/secret.txt', '..%2f..%2f..%2foutside%2fsecret.txt', '%252e%252e/x', '/etc/passwd', 'a%00b', 'a#b', 'C:/x', 'file:///etc/passwd']) {
      for (const url of [`/get-artifact?run_id=${runId}&path=${path}`, `/api/2.0/mlflow/artifacts/list?run_id=${runId}&path=${path}`]) {
        const res = await app.request(url)
        expect({ url, status: res.status }).toEqual({ url, status: 400 })
        expect(await res.text()).not.toContain('secret')
      }
    }
  })

  it('downloads model-version and logged-model files through the registry', async () => {
    const created = (await (await post(app, '/logged-models', { experiment_id: '0', name: 'clf' })).json()) as Record<string, any>
    const model = created.model.info
    const uri = `/api/2.0/mlflow-artifacts/artifacts/0/models/${model.model_id}/artifacts/MLmodel`
    expect((await app.request(uri, { method: 'PUT', body: 'flavors: {}' })).status).toBe(200)
    await post(app, '/registered-models/create', { name: 'clf' })
    const mv = await post(app, '/model-versions/create', { name: 'clf', source: `models:/${model.model_id}`, model_id: model.model_id })
    expect(mv.status).toBe(200)
    const viaRegistry = await app.request('/model-versions/get-artifact?name=clf&version=1&path=MLmodel')
    expect([viaRegistry.status, await viaRegistry.text()]).toEqual([200, 'flavors: {}'])
    const viaModel = await app.request(`/ajax-api/2.0/mlflow/logged-models/${model.model_id}/artifacts/files?artifact_file_path=MLmodel`)
    expect([viaModel.status, await viaModel.text()]).toEqual([200, 'flavors: {}'])
    expect((await app.request('/model-versions/get-artifact?name=clf&version=1&path=../../../x')).status).toBe(400)
  })

  it('answers unknown runs with 404 and a missing run id with 400', async () => {
    expect((await app.request('/get-artifact?run_id=ffffffffffffffffffffffffffffffff&path=x')).status).toBe(404)
    expect((await app.request('/api/2.0/mlflow/artifacts/list')).status).toBe(400)
  })
})
