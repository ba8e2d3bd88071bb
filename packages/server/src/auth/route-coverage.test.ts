import { beforeAll, describe, expect, it } from 'vitest'
import type { Hono } from 'hono'
import { METRIC_COLUMNS_TYPE } from '@logbook/core'
import { findRule, ruleRouter } from './middleware.ts'
import { authApp, basic, call, seed } from './testing.ts'

/**
 * Every route the app registers, walked from `app.routes`: without credentials it answers 401 and
 * for a user without any permission 403, on /api and /ajax-api alike. Only the routes listed here
 * may answer otherwise; a new route without a rule is refused by the middleware and fails this test.
 */

/** Reachable without credentials. */
const PUBLIC = new Set([
  'GET /health',
  'GET /version',
  'GET *',
  'GET /*',
  ...['/api', '/ajax-api'].flatMap((p) => [`GET ${p}/2.0/logbook/auth/whoami`, `POST ${p}/2.0/logbook/auth/login`, `POST ${p}/2.0/logbook/auth/logout`]),
])

/** Need credentials but no permission on anything: creating, filtered searches, one's own tokens. */
const AUTHENTICATED_ONLY = new Set(
  ['/api', '/ajax-api'].flatMap((p) => [
    `GET ${p}/3.0/mlflow/server-info`,
    `POST ${p}/2.0/mlflow/experiments/create`,
    `GET ${p}/2.0/mlflow/experiments/search`,
    `POST ${p}/2.0/mlflow/experiments/search`,
    `POST ${p}/2.0/mlflow/runs/search`,
    `POST ${p}/2.0/mlflow/logged-models/search`,
    `POST ${p}/2.0/mlflow/registered-models/create`,
    `GET ${p}/2.0/mlflow/registered-models/search`,
    `GET ${p}/2.0/mlflow/model-versions/search`,
    `GET ${p}/2.0/mlflow/users/current`,
    `POST ${p}/2.0/logbook/tokens/create`,
    `GET ${p}/2.0/logbook/tokens/list`,
    `POST ${p}/2.0/logbook/tokens/revoke`,
    `POST ${p}/2.0/logbook/runs/table`,
    `POST ${p}/2.0/logbook/runs/groups`,
    `GET ${p}/2.0/logbook/experiments/keys`,
  ]),
)

interface World {
  exp: string
  run: string
  model: string
  rm: string
}

/** A concrete URL for a registered pattern, naming the seeded resources. */
function concrete(pattern: string, w: World): string {
  if (pattern === '*' || pattern === '/*') return '/experiments/1/runs'
  const tail = pattern.endsWith('/mpu/part/*') ? `up1/1/${w.exp}/${w.run}/artifacts/f.txt` : `${w.exp}/${w.run}/artifacts/f.txt`
  return pattern
    .replace(':model_id', w.model)
    .replace(':tag_key{.+}', 'k')
    .replace(/\*$/, tail)
}

/** A request message naming the seeded resources in every field any route reads. */
function message(w: World): Record<string, unknown> {
  return {
    experiment_id: w.exp,
    experiment_ids: [w.exp],
    experiment_name: 'seeded',
    run_id: w.run,
    run_ids: [w.run],
    model_id: w.model,
    name: w.rm,
    new_name: `${w.rm}-2`,
    version: '1',
    source: `runs:/${w.run}/model`,
    path: `${w.exp}/${w.run}/artifacts`,
    key: 'k',
    value: 'v',
    alias: 'a',
    metric_key: 'loss',
    username: 'admin',
    password: 'a-new-password',
    is_admin: true,
    permission: 'READ',
    resource_type: 'experiment',
    resource_id: w.exp,
    id: 1,
    upload_id: 'up1',
    num_parts: 1,
    parts: [{ part_number: 1, etag: 'e' }],
    filter: '',
  }
}

async function send(app: Hono, method: string, url: string, w: World, headers: Record<string, string>): Promise<Response> {
  if (method === 'PUT') {
    return app.request(url, { method, headers: { ...headers, 'content-type': 'application/octet-stream' }, body: 'x' })
  }
  // The binary metric batch names its run in the query; its body is not JSON.
  if (url.endsWith('/runs/log-metrics')) {
    return app.request(`${url}?run_id=${w.run}`, { method, headers: { ...headers, 'content-type': METRIC_COLUMNS_TYPE }, body: 'x' })
  }
  return call(app, method, url, message(w), headers)
}

describe('route coverage: every registered route is authenticated and authorized', () => {
  let app: Hono
  let world: World
  const nobody = basic('nobody', 'nobody-password')
  const routes: { method: string; path: string }[] = []

  beforeAll(async () => {
    const made = await authApp({ defaultPermission: 'NO_PERMISSIONS' })
    app = made.app
    world = await seed(app)
    await made.store.createUser('nobody', 'nobody-password')
    const seen = new Set<string>()
    for (const r of app.routes) {
      const key = `${r.method} ${r.path}`
      if (r.method === 'ALL' || seen.has(key)) continue // middleware
      seen.add(key)
      routes.push({ method: r.method, path: r.path })
    }
  }, 60_000)

  it('finds the app routes on both prefixes, and a rule for each', () => {
    expect(routes.length).toBeGreaterThan(150)
    const api = routes.filter((r) => r.path.startsWith('/api/')).length
    const ajax = routes.filter((r) => r.path.startsWith('/ajax-api/')).length
    expect(ajax).toBe(api)
    const router = ruleRouter()
    const missing = routes.filter((r) => r.path !== '*' && r.path !== '/*' && findRule(router, r.method, concrete(r.path, world)) === undefined)
    expect(missing).toEqual([])
  })

  it('answers 401 without credentials on every non-public route', async () => {
    const wrong: string[] = []
    for (const { method, path } of routes) {
      const key = `${method} ${path}`
      const res = await send(app, method, concrete(path, world), world, {})
      if (PUBLIC.has(key)) {
        if (res.status === 401 && !key.endsWith('/auth/login')) wrong.push(`${key} -> ${res.status}`)
      } else if (res.status !== 401) wrong.push(`${key} -> ${res.status}`)
      else if (path.startsWith('/ajax-api/')) expect(res.headers.get('www-authenticate')).toBeNull()
    }
    expect(wrong).toEqual([])
  }, 60_000)

  it('answers 403 to a user without permission on every route of an experiment, model or admin', async () => {
    const wrong: string[] = []
    for (const { method, path } of routes) {
      const key = `${method} ${path}`
      if (PUBLIC.has(key)) continue
      const res = await send(app, method, concrete(path, world), world, nobody)
      if (AUTHENTICATED_ONLY.has(key)) {
        if (res.status === 401 || res.status === 403) wrong.push(`${key} -> ${res.status} (should be allowed)`)
      } else if (res.status !== 403) {
        wrong.push(`${key} -> ${res.status}`)
      }
    }
    expect(wrong).toEqual([])
  }, 60_000)

  it('treats HEAD like GET', async () => {
    const url = `/api/2.0/mlflow-artifacts/artifacts/${world.exp}/${world.run}/artifacts/f.txt`
    expect((await app.request(url, { method: 'HEAD' })).status).toBe(401)
    expect((await app.request(url, { method: 'HEAD', headers: nobody })).status).toBe(403)
  })

  it('keeps 404 ENDPOINT_NOT_FOUND for paths no route serves', async () => {
    const res = await app.request('/api/2.0/mlflow/no-such-route', { headers: nobody })
    expect(res.status).toBe(404)
    expect(((await res.json()) as { error_code: string }).error_code).toBe('ENDPOINT_NOT_FOUND')
  })
})
