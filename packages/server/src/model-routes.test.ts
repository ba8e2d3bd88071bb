import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Hono } from 'hono'
import { createLocalArtifactStore } from '@logbook/artifacts'
import { openTrackingStore, type TrackingStore } from '@logbook/store'
import { createApp } from './app.ts'
import { testApp } from './testing.ts'

let app: Hono
let store: TrackingStore
beforeAll(async () => {
  ;({ app, store } = await testApp({ artifacts: false }))
})
afterAll(() => store.close())

type Json = Record<string, any>

async function call(
  method: string,
  path: string,
  body?: unknown,
  prefix = '/api/2.0/mlflow',
): Promise<{ status: number; body: Json }> {
  const init: RequestInit = { method, headers: { 'content-type': 'application/json' } }
  if (body !== undefined) init.body = JSON.stringify(body)
  const res = await app.request(`${prefix}${path}`, init)
  const text = await res.text()
  return { status: res.status, body: text === '' ? {} : (JSON.parse(text) as Json) }
}

async function ok(method: string, path: string, body?: unknown, prefix?: string): Promise<Json> {
  const res = await call(method, path, body, prefix)
  expect(res.status, JSON.stringify(res.body)).toBe(200)
  return res.body
}

describe('logged-model routes', () => {
  it('run the log_model sequence with ids in path and body, on both prefixes', async () => {
    const run = (await ok('POST', '/runs/create', { experiment_id: '0' })).run.info.run_id as string
    const created = await ok('POST', '/logged-models', {
      experiment_id: '0',
      name: 'model',
      source_run_id: run,
      params: [{ key: 'alpha', value: '1' }],
      tags: [{ key: 'mlflow.user', value: 'me' }],
    })
    const id = created.model.info.model_id as string
    expect(created.model.info).toMatchObject({
      status: 'LOGGED_MODEL_PENDING',
      artifact_uri: `mlflow-artifacts:/0/models/${id}/artifacts`,
    })
    expect(created.model.data).toEqual({ params: [{ key: 'alpha', value: '1' }] })
    await ok('POST', '/runs/outputs', { run_id: run, models: [{ model_id: id, step: 0 }] })
    await ok('POST', '/runs/log-batch', {
      run_id: run,
      metrics: [{ key: 'acc', value: 1, timestamp: 1, step: 0, model_id: id }],
    })
    await ok('POST', '/runs/log-metric', {
      run_id: run,
      key: 'f1',
      value: 'NaN',
      timestamp: 1,
      model_id: id,
      dataset_name: 'd',
    })
    await ok('POST', `/logged-models/${id}/params`, {
      model_id: id,
      params: [{ key: 'beta', value: '2' }],
    })
    const finalized = await ok('PATCH', `/logged-models/${id}`, {
      model_id: id,
      status: 'LOGGED_MODEL_READY',
    })
    expect(finalized.model.info.status).toBe('LOGGED_MODEL_READY')
    const got = await ok('GET', `/logged-models/${id}`, undefined, '/ajax-api/2.0/mlflow')
    expect(got.model.data.metrics).toEqual([
      { key: 'acc', value: 1, timestamp: 1, step: 0, model_id: id, run_id: run },
      {
        key: 'f1',
        value: 'NaN',
        timestamp: 1,
        step: 0,
        dataset_name: 'd',
        model_id: id,
        run_id: run,
      },
    ])
    expect(got.model.data.params).toHaveLength(2)
    const found = await ok('POST', '/logged-models/search', {
      experiment_ids: ['0'],
      filter: "name = 'model'",
    })
    expect(found.models.map((m: Json) => m.info.model_id)).toEqual([id])
    expect(found.next_page_token).toBeUndefined()
    await ok('PATCH', `/logged-models/${id}/tags`, {
      model_id: id,
      tags: [{ key: 'a/b c', value: 'v' }],
    })
    await ok('DELETE', `/logged-models/${id}/tags/a/b%20c`)
    expect((await call('DELETE', `/logged-models/${id}/tags/a/b%20c`)).status).toBe(404)
    await ok('DELETE', `/logged-models/${id}`, { model_id: id })
    expect((await call('GET', `/logged-models/${id}`)).body.error_code).toBe(
      'RESOURCE_DOES_NOT_EXIST',
    )
    expect((await ok('GET', `/logged-models/${id}?allow_deleted=True`)).model.info.model_id).toBe(
      id,
    )
    expect(
      await ok('POST', '/logged-models/search', {
        experiment_ids: ['0'],
        filter: "name = 'model'",
      }),
    ).toEqual({})
  })
})

describe('registry routes', () => {
  it('register, alias, stage, search, rename and delete through the wire', async () => {
    const lm = (await ok('POST', '/logged-models', { experiment_id: '0', name: 'reg' })).model.info
      .model_id as string
    const rm = await ok('POST', '/registered-models/create', { name: 'iris' })
    expect(rm).toEqual({
      registered_model: {
        name: 'iris',
        creation_timestamp: expect.any(Number),
        last_updated_timestamp: expect.any(Number),
      },
    })
    const dup = await call('POST', '/registered-models/create', { name: 'iris' })
    expect([dup.status, dup.body.error_code]).toEqual([400, 'RESOURCE_ALREADY_EXISTS'])
    const mv = await ok('POST', '/model-versions/create', {
      name: 'iris',
      source: `models:/${lm}`,
      model_id: lm,
    })
    expect(mv.model_version).toMatchObject({
      name: 'iris',
      version: '1',
      status: 'READY',
      current_stage: 'None',
      model_id: lm,
    })
    const uri = await ok('GET', '/model-versions/get-download-uri?name=iris&version=1')
    expect(uri).toEqual({ artifact_uri: `mlflow-artifacts:/0/models/${lm}/artifacts` })
    await ok('POST', '/registered-models/alias', { name: 'iris', alias: 'champion', version: '1' })
    expect(
      (await ok('GET', '/registered-models/alias?name=iris&alias=champion')).model_version.aliases,
    ).toEqual(['champion'])
    const unknown = await call('GET', '/registered-models/alias?name=iris&alias=nope')
    expect([unknown.status, unknown.body.error_code]).toEqual([400, 'INVALID_PARAMETER_VALUE'])
    await ok('POST', '/model-versions/transition-stage', {
      name: 'iris',
      version: '1',
      stage: 'production',
      archive_existing_versions: false,
    })
    for (const method of ['POST', 'GET']) {
      const latest =
        method === 'POST'
          ? await ok('POST', '/registered-models/get-latest-versions', {
              name: 'iris',
              stages: ['Production'],
            })
          : await ok('GET', '/registered-models/get-latest-versions?name=iris&stages=Production')
      expect(latest.model_versions.map((v: Json) => v.version)).toEqual(['1'])
    }
    const models = await ok(
      'GET',
      '/registered-models/search?filter=name+LIKE+%27ir%25%27&max_results=10&order_by=name+DESC',
    )
    expect(models.registered_models.map((m: Json) => m.name)).toEqual(['iris'])
    const versions = await ok('GET', "/model-versions/search?filter=name%3D'iris'")
    expect(versions.model_versions.map((v: Json) => v.version)).toEqual(['1'])
    await ok('PATCH', '/model-versions/update', {
      name: 'iris',
      version: '1',
      description: 'first',
    })
    await ok('POST', '/model-versions/set-tag', {
      name: 'iris',
      version: '1',
      key: 'k',
      value: 'v',
    })
    await ok('DELETE', '/model-versions/delete-tag', { name: 'iris', version: '1', key: 'k' })
    await ok('POST', '/registered-models/set-tag', { name: 'iris', key: 'k', value: 'v' })
    await ok('DELETE', '/registered-models/delete-tag', { name: 'iris', key: 'k' })
    await ok('PATCH', '/registered-models/update', { name: 'iris', description: 'flowers' })
    const renamed = await ok('POST', '/registered-models/rename', {
      name: 'iris',
      new_name: 'iris2',
    })
    expect(renamed.registered_model).toMatchObject({
      name: 'iris2',
      description: 'flowers',
      aliases: [{ alias: 'champion', version: '1' }],
    })
    expect(
      (await ok('GET', '/model-versions/get?name=iris2&version=1')).model_version.description,
    ).toBe('first')
    await ok('DELETE', '/registered-models/alias', { name: 'iris2', alias: 'champion' })
    await ok('DELETE', '/model-versions/delete', { name: 'iris2', version: '1' })
    expect((await call('GET', '/model-versions/get?name=iris2&version=1')).status).toBe(404)
    await ok('DELETE', '/registered-models/delete', { name: 'iris2' })
    expect(
      (await call('GET', '/registered-models/get?name=iris2', undefined, '/ajax-api/2.0/mlflow'))
        .status,
    ).toBe(404)
  })
})

describe('logged-model artifact listing', () => {
  it('lists paths relative to the model root, and answers 404 without an artifact store', async () => {
    const id = (await ok('POST', '/logged-models', { experiment_id: '0', name: 'files' })).model
      .info.model_id as string
    const missing = await call('GET', `/logged-models/${id}/artifacts/directories`)
    expect([missing.status, missing.body.error_code]).toEqual([404, 'ENDPOINT_NOT_FOUND'])

    const dir = mkdtempSync(join(tmpdir(), 'logbook-lm-'))
    const withFiles = await openTrackingStore(`sqlite:///${dir}/logbook.db`, {
      defaultArtifactRoot: 'mlflow-artifacts:',
    })
    const artifacts = await createLocalArtifactStore(join(dir, 'root'))
    const full = createApp({ store: withFiles, artifacts, config: { version: 't' } })
    const created = await full.request('/api/2.0/mlflow/logged-models', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ experiment_id: '0', name: 'files' }),
    })
    const model = ((await created.json()) as Json).model.info as Json
    const base = `/api/2.0/mlflow-artifacts/artifacts/0/models/${model.model_id}/artifacts`
    for (const [path, text] of [
      ['MLmodel', 'x'],
      ['sub/a.txt', 'abc'],
    ] as const) {
      const put = await full.request(`${base}/${path}`, { method: 'PUT', body: text })
      expect(put.status).toBe(200)
    }
    const list = async (query: string) => {
      const path = `/ajax-api/2.0/mlflow/logged-models/${model.model_id}/artifacts/directories`
      return (await (await full.request(`${path}${query}`)).json()) as Json
    }
    expect(await list('')).toEqual({
      root_uri: model.artifact_uri,
      files: [
        { path: 'MLmodel', is_dir: false, file_size: 1 },
        { path: 'sub', is_dir: true },
      ],
    })
    expect((await list('?artifact_directory_path=sub')).files).toEqual([
      { path: 'sub/a.txt', is_dir: false, file_size: 3 },
    ])
    const bad = await full.request(
      `/api/2.0/mlflow/logged-models/${model.model_id}/artifacts/directories?artifact_directory_path=../x`,
    )
    expect(bad.status).toBe(400)
    await withFiles.close()
  })
})
