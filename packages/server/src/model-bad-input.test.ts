import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Hono } from 'hono'
import type { TrackingStore } from '@logbook/store'
import { testApp } from './testing.ts'

let app: Hono
let store: TrackingStore
let modelId: string
let snapshot: string

const API = '/api/2.0/mlflow'

function send(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  const init: RequestInit = { method, headers: { 'content-type': 'application/json', ...headers } }
  if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body)
  return Promise.resolve(app.request(`${API}${path}`, init))
}

/** Everything the cases could touch, read back through the API. */
async function state(): Promise<string> {
  const parts = await Promise.all([
    send('GET', '/registered-models/get?name=base'),
    send('GET', '/registered-models/get?name=other'),
    send('GET', '/model-versions/search'),
    send('GET', `/logged-models/${modelId}`),
    send('POST', '/logged-models/search', { experiment_ids: ['0'] }),
  ])
  return JSON.stringify(await Promise.all(parts.map((r) => r.json())))
}

beforeAll(async () => {
  ;({ app, store } = await testApp())
  const created = await send('POST', '/logged-models', {
    experiment_id: '0',
    name: 'm',
    params: [{ key: 'alpha', value: '1' }],
  })
  modelId = ((await created.json()) as { model: { info: { model_id: string } } }).model.info
    .model_id
  await send('POST', '/registered-models/create', { name: 'base' })
  await send('POST', '/registered-models/create', { name: 'other' })
  await send('POST', '/model-versions/create', {
    name: 'base',
    source: `models:/${modelId}`,
    model_id: modelId,
  })
  snapshot = await state()
})
afterAll(() => store.close())

interface Case {
  name: string
  method?: 'GET' | 'POST' | 'PATCH' | 'DELETE'
  path: string
  body?: unknown
  status: number
  code: string
  message?: RegExp
  headers?: Record<string, string>
}

const INVALID = 'INVALID_PARAMETER_VALUE'
const source = (s: string): Case => ({
  name: `source ${s}`,
  path: '/model-versions/create',
  body: { name: 'base', source: s },
  status: 400,
  code: INVALID,
  message: /Invalid model version source/,
})

// Every user mistake on the model routes gets a 4xx with MLflow's envelope and changes nothing.
// prettier-ignore
const cases: (() => Case)[] = [
  () => ({ name: 'logged model without experiment', path: '/logged-models', body: {}, status: 400, code: INVALID, message: /Missing value for required parameter 'experiment_id'/ }),
  () => ({ name: 'numeric experiment id', path: '/logged-models', body: { experiment_id: 0 }, status: 400, code: INVALID, message: /Invalid value 0 for parameter 'experiment_id'/ }),
  () => ({ name: 'non-integer experiment', path: '/logged-models', body: { experiment_id: 'x' }, status: 400, code: INVALID }),
  () => ({ name: 'unknown experiment', path: '/logged-models', body: { experiment_id: '999' }, status: 404, code: 'RESOURCE_DOES_NOT_EXIST' }),
  () => ({ name: 'dotted logged model name', path: '/logged-models', body: { experiment_id: '0', name: 'a.b' }, status: 400, code: INVALID, message: /Invalid model name/ }),
  () => ({ name: 'params not a list', path: '/logged-models', body: { experiment_id: '0', params: 'x' }, status: 400, code: INVALID }),
  () => ({ name: 'unknown final status', method: 'PATCH', path: `/logged-models/${modelId}`, body: { status: 'DONE' }, status: 400, code: INVALID }),
  () => ({ name: 'missing final status', method: 'PATCH', path: `/logged-models/${modelId}`, body: {}, status: 400, code: INVALID, message: /'status'/ }),
  () => ({ name: 'finalize unknown model', method: 'PATCH', path: '/logged-models/m-unknown', body: { status: 'LOGGED_MODEL_READY' }, status: 404, code: 'RESOURCE_DOES_NOT_EXIST' }),
  () => ({ name: 'get unknown model', method: 'GET', path: '/logged-models/m-unknown', status: 404, code: 'RESOURCE_DOES_NOT_EXIST', message: /Logged model with ID 'm-unknown' not found/ }),
  () => ({ name: 'bad allow_deleted', method: 'GET', path: `/logged-models/${modelId}?allow_deleted=maybe`, status: 400, code: INVALID }),
  () => ({ name: 'delete missing model tag', method: 'DELETE', path: `/logged-models/${modelId}/tags/missing`, status: 404, code: 'RESOURCE_DOES_NOT_EXIST' }),
  () => ({ name: 'empty model tag key', method: 'PATCH', path: `/logged-models/${modelId}/tags`, body: { tags: [{ key: '', value: 'x' }] }, status: 400, code: INVALID }),
  () => ({ name: 'changed model param', path: `/logged-models/${modelId}/params`, body: { params: [{ key: 'alpha', value: '2' }] }, status: 400, code: INVALID, message: /Changing param values/ }),
  () => ({ name: 'search without experiments', path: '/logged-models/search', body: {}, status: 400, code: INVALID, message: /'experiment_ids'/ }),
  () => ({ name: 'search non-integer experiment', path: '/logged-models/search', body: { experiment_ids: ['abc'] }, status: 400, code: INVALID }),
  () => ({ name: 'search bad comparator', path: '/logged-models/search', body: { experiment_ids: ['0'], filter: "metrics.x LIKE 'a'" }, status: 400, code: INVALID }),
  () => ({ name: 'search order by params', path: '/logged-models/search', body: { experiment_ids: ['0'], order_by: [{ field_name: 'params.x' }] }, status: 400, code: INVALID }),
  () => ({ name: 'search negative max_results', path: '/logged-models/search', body: { experiment_ids: ['0'], max_results: -1 }, status: 400, code: INVALID }),
  () => ({ name: 'search bad token', path: '/logged-models/search', body: { experiment_ids: ['0'], page_token: 'bad' }, status: 400, code: INVALID }),
  () => ({ name: 'search dataset without name', path: '/logged-models/search', body: { experiment_ids: ['0'], datasets: [{}] }, status: 400, code: INVALID }),
  () => ({ name: 'text/plain create', path: '/registered-models/create', body: { name: 'x' }, headers: { 'content-type': 'text/plain' }, status: 400, code: INVALID, message: /Content-Type/ }),
  () => ({ name: 'registered model without name', path: '/registered-models/create', body: {}, status: 400, code: INVALID, message: /Missing value for required parameter 'name'/ }),
  () => ({ name: 'numeric registered model name', path: '/registered-models/create', body: { name: 123 }, status: 400, code: INVALID, message: /Invalid value 123 for parameter 'name'/ }),
  () => ({ name: 'slash in model name', path: '/registered-models/create', body: { name: 'a/b' }, status: 400, code: INVALID }),
  () => ({ name: 'duplicate model', path: '/registered-models/create', body: { name: 'base' }, status: 400, code: 'RESOURCE_ALREADY_EXISTS', message: /already exists/ }),
  () => ({ name: 'rename onto existing', path: '/registered-models/rename', body: { name: 'base', new_name: 'other' }, status: 400, code: 'RESOURCE_ALREADY_EXISTS' }),
  () => ({ name: 'rename without new name', path: '/registered-models/rename', body: { name: 'base', new_name: '' }, status: 400, code: INVALID }),
  () => ({ name: 'over-long model tag', path: '/registered-models/set-tag', body: { name: 'base', key: 'k', value: 'x'.repeat(100_001) }, status: 400, code: INVALID }),
  () => ({ name: 'bad model tag key', path: '/registered-models/set-tag', body: { name: 'base', key: '../k', value: 'v' }, status: 400, code: INVALID }),
  () => ({ name: 'tag on unknown model', path: '/registered-models/set-tag', body: { name: 'nope', key: 'k', value: 'v' }, status: 404, code: 'RESOURCE_DOES_NOT_EXIST' }),
  () => source('file:///etc/passwd'),
  () => source('/etc/passwd'),
  () => source('s3://bucket/key'),
  () => source('https://host/api/2.0/mlflow-artifacts/artifacts/x'),
  () => source('mlflow-artifacts://evil:9000/x'),
  () => source('mlflow-artifacts:/a/../../etc'),
  () => source('mlflow-artifacts:/a/%252e%252e/etc'),
  () => source('mlflow-artifacts:/a%00b'),
  () => source('runs:/ffffffffffffffffffffffffffffffff/model'),
  () => source('models:/m-00000000000000000000000000000000'),
  () => ({ name: 'version without source', path: '/model-versions/create', body: { name: 'base' }, status: 400, code: INVALID, message: /'source'/ }),
  () => ({ name: 'version of unknown model', path: '/model-versions/create', body: { name: 'nope', source: 'mlflow-artifacts:/x' }, status: 404, code: 'RESOURCE_DOES_NOT_EXIST' }),
  () => ({ name: 'non-integer version', method: 'GET', path: '/model-versions/get?name=base&version=abc', status: 400, code: INVALID, message: /must be an integer/ }),
  () => ({ name: 'missing version', method: 'GET', path: '/model-versions/get?name=base', status: 400, code: INVALID, message: /'version'/ }),
  () => ({ name: 'unknown version', method: 'GET', path: '/model-versions/get-download-uri?name=base&version=9', status: 404, code: 'RESOURCE_DOES_NOT_EXIST' }),
  () => ({ name: 'bogus stage', path: '/model-versions/transition-stage', body: { name: 'base', version: '1', stage: 'Bogus' }, status: 400, code: INVALID, message: /Invalid Model Version stage/ }),
  () => ({ name: 'archive into None', path: '/model-versions/transition-stage', body: { name: 'base', version: '1', stage: 'None', archive_existing_versions: true }, status: 400, code: INVALID }),
  () => ({ name: 'non-boolean archive flag', path: '/model-versions/transition-stage', body: { name: 'base', version: '1', stage: 'Staging', archive_existing_versions: 'maybe' }, status: 400, code: INVALID }),
  () => ({ name: 'reserved alias', path: '/registered-models/alias', body: { name: 'base', alias: 'Latest', version: '1' }, status: 400, code: INVALID, message: /reserved/ }),
  () => ({ name: 'alias with spaces', path: '/registered-models/alias', body: { name: 'base', alias: 'a b', version: '1' }, status: 400, code: INVALID }),
  () => ({ name: 'alias to missing version', path: '/registered-models/alias', body: { name: 'base', alias: 'x', version: '9' }, status: 404, code: 'RESOURCE_DOES_NOT_EXIST' }),
  () => ({ name: 'unknown alias', method: 'GET', path: '/registered-models/alias?name=base&alias=nope', status: 400, code: INVALID, message: /alias nope not found/ }),
  () => ({ name: 'bogus latest stage', path: '/registered-models/get-latest-versions', body: { name: 'base', stages: ['bogus'] }, status: 400, code: INVALID }),
  () => ({ name: 'search models over the cap', method: 'GET', path: '/registered-models/search?max_results=1001', status: 400, code: INVALID }),
  () => ({ name: 'search models zero results', method: 'GET', path: '/registered-models/search?max_results=0', status: 400, code: INVALID }),
  () => ({ name: 'search models bad filter', method: 'GET', path: "/registered-models/search?filter=run_id%3D'x'", status: 400, code: INVALID }),
  () => ({ name: 'search models bad order', method: 'GET', path: '/registered-models/search?order_by=creation_timestamp', status: 400, code: INVALID }),
  () => ({ name: 'search models bad token', method: 'GET', path: '/registered-models/search?page_token=zzz', status: 400, code: INVALID }),
  () => ({ name: 'search versions over the cap', method: 'GET', path: '/model-versions/search?max_results=200001', status: 400, code: INVALID }),
  () => ({ name: 'search versions string number', method: 'GET', path: "/model-versions/search?filter=version_number%3D'a'", status: 400, code: INVALID }),
]

describe('bad input on model routes', () => {
  it.each(cases.map((c, i) => [i, c] as const))('case %i', async (_i, make) => {
    const c = make()
    const res = await send(c.method ?? 'POST', c.path, c.body, c.headers)
    const body = (await res.json()) as { error_code: string; message: string }
    expect({ name: c.name, status: res.status, code: body.error_code }).toEqual({
      name: c.name,
      status: c.status,
      code: c.code,
    })
    expect(res.headers.get('content-type')).toBe('application/json')
    if (c.message) expect(body.message).toMatch(c.message)
    expect(await state()).toBe(snapshot)
  })
})
