/** Test helpers for the auth suites: an app with auth, artifacts and a UI build on temporary storage. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Hono } from 'hono'
import { createLocalArtifactStore, type ArtifactStore } from '@logbook/artifacts'
import { openTrackingStore, type LogbookStore, type PermissionName } from '@logbook/store'
import { createApp } from '../app.ts'
import type { SecurityConfig } from './config.ts'

export const ADMIN = { username: 'admin', password: 'admin-password' }

/** An app with `--auth` on, a bootstrap admin, artifacts and a UI build. */
export async function authApp(
  options: { defaultPermission?: PermissionName; security?: SecurityConfig } = {},
): Promise<{ app: Hono; store: LogbookStore; artifacts: ArtifactStore }> {
  const dir = mkdtempSync(join(tmpdir(), 'logbook-auth-'))
  const ui = join(dir, 'dist')
  mkdirSync(ui)
  writeFileSync(join(ui, 'index.html'), '<!doctype html><div id="root"></div>')
  const store = await openTrackingStore(`sqlite:///${dir}/logbook.db`, { defaultArtifactRoot: 'mlflow-artifacts:' })
  const artifacts = await createLocalArtifactStore(join(dir, 'artifacts'))
  await store.createUser(ADMIN.username, ADMIN.password, true)
  const app = createApp({
    store,
    artifacts,
    uiDir: ui,
    config: { version: '0.0.0-test', auth: { defaultPermission: options.defaultPermission ?? 'READ' }, security: options.security },
  })
  return { app, store, artifacts }
}

/** Basic credentials header. */
export function basic(username: string, password: string): Record<string, string> {
  return { authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` }
}

export const admin = basic(ADMIN.username, ADMIN.password)

/** One request: GET/HEAD put `message` in the query (arrays repeated), others send it as JSON. */
export async function call(
  app: Hono,
  method: string,
  path: string,
  message: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<Response> {
  if (method === 'GET' || method === 'HEAD') {
    const q = new URLSearchParams()
    for (const [k, v] of Object.entries(message)) for (const item of Array.isArray(v) ? v : [v]) q.append(k, String(item))
    const query = q.toString()
    const sep = path.includes('?') ? '&' : '?'
    return app.request(query ? `${path}${sep}${query}` : path, { method, headers })
  }
  return app.request(path, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(message),
  })
}

/** An experiment with a run, a logged model, an artifact file and a registered model version, made by the admin. */
export async function seed(app: Hono, name = 'seeded'): Promise<{ exp: string; run: string; model: string; rm: string }> {
  const ok = async (res: Response | Promise<Response>) => {
    const r = await res
    if (r.status !== 200) throw new Error(`seed failed: ${r.status} ${await r.text()}`)
    return (await r.json()) as Record<string, unknown>
  }
  const api = '/api/2.0/mlflow'
  const { experiment_id: exp } = (await ok(call(app, 'POST', `${api}/experiments/create`, { name }, admin))) as { experiment_id: string }
  const { run } = (await ok(call(app, 'POST', `${api}/runs/create`, { experiment_id: exp }, admin))) as { run: { info: { run_id: string } } }
  const runId = run.info.run_id
  await ok(call(app, 'POST', `${api}/runs/log-metric`, { run_id: runId, key: 'loss', value: 1, timestamp: 1, step: 0 }, admin))
  const { model } = (await ok(call(app, 'POST', `${api}/logged-models`, { experiment_id: exp }, admin))) as { model: { info: { model_id: string } } }
  await ok(
    app.request(`/api/2.0/mlflow-artifacts/artifacts/${exp}/${runId}/artifacts/f.txt`, {
      method: 'PUT',
      headers: { ...admin, 'content-type': 'application/octet-stream' },
      body: 'hello',
    }),
  )
  const rm = `${name}-model`
  await ok(call(app, 'POST', `${api}/registered-models/create`, { name: rm }, admin))
  await ok(call(app, 'POST', `${api}/model-versions/create`, { name: rm, source: `runs:/${runId}/model`, run_id: runId }, admin))
  return { exp, run: runId, model: model.info.model_id, rm }
}
