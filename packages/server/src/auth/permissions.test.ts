import { describe, expect, it } from 'vitest'
import { ARTIFACT_CSP } from '../routes/artifact-http.ts'
import { admin, authApp, basic, call, seed } from './testing.ts'

const api = '/api/2.0/mlflow'
const logbook = '/api/2.0/logbook'

async function body<T = Record<string, unknown>>(res: Response | Promise<Response>): Promise<T> {
  return (await (await res).json()) as T
}

describe('permissions', () => {
  it('lets a READ user read but not write, and an EDIT user write but not delete or manage', async () => {
    const { app, store } = await authApp({ defaultPermission: 'READ' })
    const w = await seed(app)
    await store.createUser('reader', 'reader-password')
    await store.createUser('editor', 'editor-password')
    const reader = basic('reader', 'reader-password')
    const editor = basic('editor', 'editor-password')
    expect((await call(app, 'GET', `${api}/runs/get`, { run_id: w.run }, reader)).status).toBe(200)
    expect((await call(app, 'POST', `${api}/runs/log-metric`, { run_id: w.run, key: 'x', value: 1, timestamp: 1 }, reader)).status).toBe(403)
    expect((await call(app, 'POST', `${api}/runs/set-tag`, { run_id: w.run, key: 'k', value: 'v' }, reader)).status).toBe(403)
    const file = `/api/2.0/mlflow-artifacts/artifacts/${w.exp}/${w.run}/artifacts/f.txt`
    expect((await app.request(file, { headers: reader })).status).toBe(200)
    expect((await app.request(file, { method: 'PUT', headers: { ...reader, 'content-type': 'text/plain' }, body: 'x' })).status).toBe(403)

    const grant = await call(app, 'POST', `${api}/experiments/permissions/create`, { experiment_id: w.exp, username: 'editor', permission: 'EDIT' }, admin)
    expect(await body(grant)).toEqual({ experiment_permission: { experiment_id: w.exp, user_id: expect.any(Number), permission: 'EDIT' } })
    expect((await call(app, 'POST', `${api}/runs/log-metric`, { run_id: w.run, key: 'x', value: 1, timestamp: 1 }, editor)).status).toBe(200)
    expect((await app.request(file, { method: 'PUT', headers: { ...editor, 'content-type': 'text/plain' }, body: 'y' })).status).toBe(200)
    // Deleting artifacts and runs needs MANAGE (MLflow CVE-2024-4263), as does managing permissions.
    expect((await app.request(file, { method: 'DELETE', headers: editor })).status).toBe(403)
    expect((await call(app, 'POST', `${api}/runs/delete`, { run_id: w.run }, editor)).status).toBe(403)
    const manage = { experiment_id: w.exp, username: 'reader', permission: 'MANAGE' }
    expect((await call(app, 'POST', `${api}/experiments/permissions/create`, manage, editor)).status).toBe(403)
    expect((await call(app, 'PATCH', `${api}/experiments/permissions/update`, { ...manage, username: 'editor' }, editor)).status).toBe(403)
    expect((await call(app, 'POST', '/api/3.0/mlflow/users/permissions/grant', { username: 'editor', resource_type: 'experiment', resource_id: w.exp, permission: 'MANAGE' }, editor)).status).toBe(403)
    expect((await call(app, 'POST', `${api}/users/create`, { username: 'x', password: 'password-x' }, editor)).status).toBe(403)
  })

  it('gives creators MANAGE, and grants follow a registered model through rename and delete', async () => {
    const { app, store } = await authApp({ defaultPermission: 'NO_PERMISSIONS' })
    await store.createUser('owner', 'owner-password')
    await store.createUser('other', 'other-password')
    const owner = basic('owner', 'owner-password')
    const { experiment_id: exp } = await body<{ experiment_id: string }>(call(app, 'POST', `${api}/experiments/create`, { name: 'mine' }, owner))
    expect((await call(app, 'POST', `${api}/experiments/permissions/create`, { experiment_id: exp, username: 'other', permission: 'READ' }, owner)).status).toBe(200)
    expect((await call(app, 'GET', `${api}/experiments/get`, { experiment_id: exp }, basic('other', 'other-password'))).status).toBe(200)
    expect((await call(app, 'POST', `${api}/registered-models/create`, { name: 'rm' }, owner)).status).toBe(200)
    expect((await call(app, 'POST', `${api}/registered-models/rename`, { name: 'rm', new_name: 'rm2' }, owner)).status).toBe(200)
    expect((await call(app, 'GET', `${api}/registered-models/get`, { name: 'rm2' }, owner)).status).toBe(200)
    expect((await call(app, 'DELETE', `${api}/registered-models/delete`, { name: 'rm2' }, owner)).status).toBe(200)
    const user = await store.getUser('owner')
    expect(await store.listRegisteredModelPermissions(user.id)).toEqual([])
  })

  it('filters searches to readable experiments and models, refilling pages', async () => {
    const { app, store } = await authApp({ defaultPermission: 'NO_PERMISSIONS' })
    const ids: string[] = []
    for (let i = 0; i < 6; i++) ids.push((await seed(app, `e${i}`)).exp)
    const u = await store.createUser('viewer', 'viewer-password')
    const viewer = basic('viewer', 'viewer-password')
    for (const id of [ids[0], ids[3], ids[5]]) await store.setPermission({ kind: 'experiment', id: id! }, u.id, 'READ')
    await store.setPermission({ kind: 'registered_model', name: 'e2-model' }, u.id, 'READ')

    const page1 = await body<{ experiments?: { experiment_id: string }[]; next_page_token?: string }>(
      call(app, 'POST', `${api}/experiments/search`, { max_results: 2, order_by: ['name ASC'] }, viewer),
    )
    expect(page1.experiments?.map((e) => e.experiment_id)).toEqual([ids[0], ids[3]])
    expect(page1.next_page_token).toBeTruthy()
    const page2 = await body<{ experiments?: { experiment_id: string }[]; next_page_token?: string }>(
      call(app, 'GET', `${api}/experiments/search`, { max_results: 2, order_by: 'name ASC', page_token: page1.next_page_token }, viewer),
    )
    expect(page2.experiments?.map((e) => e.experiment_id)).toEqual([ids[5]])
    expect(page2.next_page_token).toBeUndefined()

    const runs = await body<{ runs?: { info: { experiment_id: string } }[] }>(
      call(app, 'POST', `${api}/runs/search`, { experiment_ids: [ids[1], ids[3]] }, viewer),
    )
    expect(runs.runs?.map((r) => r.info.experiment_id)).toEqual([ids[3]])
    expect(await body(call(app, 'POST', `${api}/runs/search`, { experiment_ids: [ids[1]] }, viewer))).toEqual({})
    const models = await body<{ registered_models?: { name: string }[] }>(call(app, 'GET', `${api}/registered-models/search`, {}, viewer))
    expect(models.registered_models?.map((m) => m.name)).toEqual(['e2-model'])
    const versions = await body<{ model_versions?: { name: string }[] }>(call(app, 'GET', `${api}/model-versions/search`, {}, viewer))
    expect(versions.model_versions?.map((m) => m.name)).toEqual(['e2-model'])
    // The admin sees everything.
    const all = await body<{ experiments: unknown[] }>(call(app, 'GET', `${api}/experiments/search`, {}, admin))
    expect(all.experiments).toHaveLength(7)
  })

  it('enforces the run experiment on artifact routes, and refuses paths that name no experiment', async () => {
    const { app, store } = await authApp({ defaultPermission: 'NO_PERMISSIONS' })
    const w = await seed(app)
    const u = await store.createUser('reader', 'reader-password')
    const reader = basic('reader', 'reader-password')
    const urls = [
      `/api/2.0/mlflow-artifacts/artifacts/${w.exp}/${w.run}/artifacts/f.txt`,
      `/ajax-api/2.0/mlflow-artifacts/artifacts/${w.exp}/${w.run}/artifacts/f.txt`,
      `/api/2.0/mlflow-artifacts/artifacts?path=${w.exp}/${w.run}/artifacts`,
      `/get-artifact?run_id=${w.run}&path=f.txt`,
      `/get-artifact?run_uuid=${w.run}&path=f.txt`,
      `/api/2.0/mlflow/artifacts/list?run_id=${w.run}`,
      `/model-versions/get-artifact?name=${w.rm}&version=1&path=x`,
    ]
    for (const url of urls) expect((await app.request(url, { headers: reader })).status, url).toBe(403)
    await store.setPermission({ kind: 'experiment', id: w.exp }, u.id, 'READ')
    const file = await app.request(`/get-artifact?run_id=${w.run}&path=f.txt`, { headers: reader })
    expect(file.status).toBe(200)
    expect(await file.text()).toBe('hello')
    expect(file.headers.get('content-security-policy')).toBe(ARTIFACT_CSP)
    expect((await app.request(urls[0]!, { headers: reader })).status).toBe(200)
    expect((await app.request(urls[2]!, { headers: reader })).status).toBe(200)
    // The root listing and a non-canonical experiment segment name no experiment: admins only.
    for (const url of ['/api/2.0/mlflow-artifacts/artifacts', `/api/2.0/mlflow-artifacts/artifacts?path=0${w.exp}/${w.run}`]) {
      expect((await app.request(url, { headers: reader })).status, url).toBe(403)
      expect((await app.request(url, { headers: admin })).status, url).toBe(200)
    }
  })

  it('requires READ on what a new model version points at (no confused deputy)', async () => {
    const { app, store } = await authApp({ defaultPermission: 'NO_PERMISSIONS' })
    const w = await seed(app)
    const u = await store.createUser('thief', 'thief-password')
    const thief = basic('thief', 'thief-password')
    expect((await call(app, 'POST', `${api}/registered-models/create`, { name: 'mine' }, thief)).status).toBe(200)
    for (const source of [`runs:/${w.run}/model`, `mlflow-artifacts:/${w.exp}/${w.run}/artifacts/model`, `models:/${w.model}`]) {
      expect((await call(app, 'POST', `${api}/model-versions/create`, { name: 'mine', source }, thief)).status, source).toBe(403)
    }
    await store.setPermission({ kind: 'experiment', id: w.exp }, u.id, 'READ')
    expect((await call(app, 'POST', `${api}/model-versions/create`, { name: 'mine', source: `runs:/${w.run}/model` }, thief)).status).toBe(200)
  })
})

describe('multipart uploads', () => {
  it("gives each upload a token for its own parts only (MLflow's client sends parts without credentials)", async () => {
    const { app } = await authApp()
    const w = await seed(app)
    const dir = `${w.exp}/${w.run}/artifacts`
    const created = await body<{ upload_id: string; credentials: { url: string; headers: Record<string, string> }[] }>(
      call(app, 'POST', `/api/2.0/mlflow-artifacts/mpu/create/${dir}`, { path: 'big.bin', num_parts: 1 }, admin),
    )
    const [part] = created.credentials
    expect(part?.headers.Authorization).toMatch(/^Bearer lbk_/)
    const url = new URL(part!.url)
    const target = url.pathname + url.search
    expect((await app.request(target, { method: 'PUT', body: 'abc' })).status).toBe(401)
    const put = await app.request(target, { method: 'PUT', headers: part!.headers, body: 'abc' })
    expect(put.status).toBe(200)
    // The token is good for nothing else: not other routes, not another upload.
    expect((await call(app, 'GET', `${api}/experiments/search`, {}, part!.headers)).status).toBe(401)
    const other = target.replace(encodeURIComponent(created.upload_id), 'other-upload')
    expect((await app.request(other, { method: 'PUT', headers: part!.headers, body: 'abc' })).status).toBe(401)
    const done = await call(app, 'POST', `/api/2.0/mlflow-artifacts/mpu/complete/${dir}`, {
      path: 'big.bin',
      upload_id: created.upload_id,
      parts: [{ part_number: 1, etag: put.headers.get('etag') }],
    }, admin)
    expect(done.status).toBe(200)
    expect(await (await app.request(`/api/2.0/mlflow-artifacts/artifacts/${dir}/big.bin`, { headers: admin })).text()).toBe('abc')
  })
})

describe('credentials', () => {
  it('accepts personal access tokens until they are revoked', async () => {
    const { app, store } = await authApp()
    await store.createUser('dev', 'dev-password')
    const dev = basic('dev', 'dev-password')
    const created = await body<{ token: string; token_info: { id: number } }>(call(app, 'POST', `${logbook}/tokens/create`, { name: 'laptop' }, dev))
    const bearer = { authorization: `Bearer ${created.token}` }
    expect((await call(app, 'GET', `${api}/experiments/search`, {}, bearer)).status).toBe(200)
    const listed = await body<{ tokens: { id: number; name: string; last_used_ms: number | null }[] }>(call(app, 'GET', `${logbook}/tokens/list`, {}, bearer))
    expect(listed.tokens).toEqual([expect.objectContaining({ id: created.token_info.id, name: 'laptop', last_used_ms: expect.any(Number) })])
    expect(JSON.stringify(listed)).not.toContain(created.token)
    expect((await call(app, 'POST', `${logbook}/tokens/revoke`, { id: created.token_info.id }, dev)).status).toBe(200)
    expect((await call(app, 'GET', `${api}/experiments/search`, {}, bearer)).status).toBe(401)
    expect((await call(app, 'GET', `${api}/experiments/search`, {}, { authorization: 'Bearer lbk_nope' })).status).toBe(401)
    expect((await call(app, 'GET', `${api}/experiments/search`, {}, basic('dev', 'wrong-password'))).status).toBe(401)
  })

  it('logs the UI in with an HttpOnly SameSite=Strict session cookie and out again', async () => {
    const { app } = await authApp()
    expect(await body(call(app, 'GET', '/ajax-api/2.0/logbook/auth/whoami'))).toEqual({ auth_enabled: true })
    const bad = await call(app, 'POST', '/ajax-api/2.0/logbook/auth/login', { username: 'admin', password: 'nope' })
    expect(bad.status).toBe(401)
    const res = await call(app, 'POST', '/ajax-api/2.0/logbook/auth/login', { username: 'admin', password: 'admin-password' })
    expect(res.status).toBe(200)
    const cookie = res.headers.get('set-cookie') ?? ''
    expect(cookie).toMatch(/^logbook_session=lbk_[\w-]+; Path=\/; HttpOnly; SameSite=Strict; Max-Age=43200$/)
    const session = { cookie: cookie.split(';')[0]! }
    expect(await body(call(app, 'GET', '/ajax-api/2.0/logbook/auth/whoami', {}, session))).toMatchObject({ auth_enabled: true, user: { username: 'admin' } })
    expect((await call(app, 'GET', '/ajax-api/2.0/mlflow/experiments/search', {}, session)).status).toBe(200)
    const out = await call(app, 'POST', '/ajax-api/2.0/logbook/auth/logout', {}, session)
    expect(out.headers.get('set-cookie')).toContain('Max-Age=0')
    expect((await call(app, 'GET', '/ajax-api/2.0/mlflow/experiments/search', {}, session)).status).toBe(401)
  })

  it("answers 401 with MLflow's WWW-Authenticate on /api and without it on /ajax-api", async () => {
    const { app } = await authApp()
    const res = await app.request(`${api}/experiments/search`)
    expect(res.status).toBe(401)
    expect(res.headers.get('www-authenticate')).toBe('Basic realm="mlflow"')
    expect(await res.json()).toMatchObject({ error_code: 'UNAUTHENTICATED' })
    expect((await app.request('/ajax-api/2.0/mlflow/experiments/search')).headers.get('www-authenticate')).toBeNull()
  })
})
