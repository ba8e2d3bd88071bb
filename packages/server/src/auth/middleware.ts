/**
 * The one place authorization happens: registered before every route, it authenticates the request
 * and checks it against `RULES`. A route without a rule is refused; a path no route serves falls
 * through to MLflow's 404 (clients use ENDPOINT_NOT_FOUND to fall back).
 */
import type { Context, Hono, MiddlewareHandler } from 'hono'
import { TrieRouter } from 'hono/router/trie-router'
import type { AuthUser, LogbookStore } from '@logbook/store'
import { readRequest } from '../middleware/request-body.ts'
import { allowed } from './authorize.ts'
import type { AuthConfig } from './config.ts'
import { isApiPath } from './config.ts'
import { UPLOAD_TOKEN_MS, authenticate, permissionDenied, unauthenticated } from './credentials.ts'
import { RULES, type AfterHook, type Rule } from './rules.ts'
import { filterExperimentIds, filterResponse, innerUser } from './search-filter.ts'

const users = new WeakMap<Request, AuthUser>()

/** The authenticated user of a request (set by the middleware); undefined when auth is off or public. */
export function currentUser(c: Context): AuthUser | undefined {
  return users.get(c.req.raw)
}

/** A router over the rule table, using Hono's own path syntax so patterns mean the same. */
export function ruleRouter(): TrieRouter<Rule> {
  const router = new TrieRouter<Rule>()
  for (const { method, path, rule } of RULES) router.add(method, path, rule)
  return router
}

/** The rule for a method and path, with its path parameters. */
export function findRule(router: TrieRouter<Rule>, method: string, path: string): [Rule, Record<string, string>] | undefined {
  const [matches] = router.match(method === 'HEAD' ? 'GET' : method, path) as [[Rule, Record<string, string>][]]
  return matches[0]
}

/** Routes of the app (not middleware) that would serve this request. */
function appRoutes(app: Hono, method: string, path: string): { path: string; method: string }[] {
  const [matches] = app.router.match(method === 'HEAD' ? 'GET' : method, path) as unknown as [[[unknown, { path: string; method: string }], unknown][]]
  return matches.map(([[, route]]) => route).filter((r) => r.method !== 'ALL')
}

/**
 * MLflow's client PUTs multipart parts to the URLs of mpu/create with only the headers given there,
 * as to presigned storage URLs. Each upload gets a token good for its own parts only.
 */
async function addUploadCredentials(c: Context, store: LogbookStore, user: AuthUser): Promise<void> {
  const body = (await c.res.clone().json()) as { upload_id?: unknown; credentials?: { headers?: Record<string, string> }[] }
  if (typeof body.upload_id !== 'string' || !Array.isArray(body.credentials)) return
  const { token } = await store.createToken(user.id, { name: body.upload_id, kind: 'upload', expiresMs: Date.now() + UPLOAD_TOKEN_MS })
  for (const credential of body.credentials) credential.headers = { ...credential.headers, Authorization: `Bearer ${token}` }
  const headers = new Headers(c.res.headers)
  headers.delete('content-length')
  c.res = new Response(JSON.stringify(body), { status: 200, headers })
}

async function runAfterHook(hook: AfterHook, c: Context, store: LogbookStore, user: AuthUser, message: () => Promise<Record<string, unknown>>) {
  if (c.res.status !== 200) return
  if (hook === 'upload-part-credentials') return addUploadCredentials(c, store, user)
  const m = await message()
  const name = typeof m.name === 'string' ? m.name : undefined
  if (hook === 'grant-experiment-creator') {
    const body = (await c.res.clone().json()) as { experiment_id?: unknown }
    if (typeof body.experiment_id === 'string') await store.setPermission({ kind: 'experiment', id: body.experiment_id }, user.id, 'MANAGE')
  } else if (name === undefined) {
    return
  } else if (hook === 'grant-model-creator') {
    await store.setPermission({ kind: 'registered_model', name }, user.id, 'MANAGE')
  } else if (hook === 'rename-model-grants' && typeof m.new_name === 'string') {
    await store.renameRegisteredModelGrants(name, m.new_name)
  } else if (hook === 'delete-model-grants') {
    await store.deleteRegisteredModelGrants(name)
  }
}

/** The authentication and authorization middleware for `createApp` when `--auth` is on. */
export function authMiddleware(app: Hono, store: LogbookStore, config: AuthConfig): MiddlewareHandler {
  const router = ruleRouter()
  return async (c, next) => {
    const method = c.req.method
    const path = c.req.path
    const found = findRule(router, method, path)
    let rule = found?.[0]
    if (rule === undefined) {
      const routes = appRoutes(app, method, path)
      // The UI's catch-all serves its static files (public) and passes API paths on to the 404.
      if (routes.every((r) => r.path === '*' || r.path === '/*')) {
        if (routes.length === 0 || isApiPath(path)) return next()
        rule = { access: 'public' }
      }
    }
    if (rule?.access === 'public') return next()

    const inner = innerUser(c)
    const auth = inner ? { kind: 'user' as const, user: inner } : await authenticate(c, store)
    if (auth.kind !== 'user') return unauthenticated(c)
    const user = auth.user
    users.set(c.req.raw, user)
    if (rule === undefined) return permissionDenied()

    let cached: Promise<Record<string, unknown>> | undefined
    const message = () => (cached ??= readRequest(c).then((m) => (m ?? {}) as Record<string, unknown>))
    const fallback = config.defaultPermission
    switch (rule.access) {
      case 'handler':
        return next()
      case 'admin':
        if (!user.is_admin) return permissionDenied()
        return next()
      case 'authenticated':
        await next()
        if (rule.after) await runAfterHook(rule.after, c, store, user, message)
        return
      case 'filter-experiment-ids': {
        const res = await filterExperimentIds(c, app, store, user, await message(), fallback, next)
        if (res) return res
        return
      }
      case 'filter-response':
        await next()
        if (!inner) await filterResponse(c, app, store, user, rule, await message(), fallback)
        return
      case 'resource': {
        const input = { c, store, params: found?.[1] ?? {}, message }
        const resources = await rule.resolve(input)
        if (resources !== undefined && !(await allowed(store, user, resources, rule.level, fallback))) return permissionDenied()
        const extra = rule.alsoRead ? await rule.alsoRead(input) : undefined
        if (extra !== undefined && !(await allowed(store, user, extra, 'READ', fallback))) return permissionDenied()
        await next()
        if (rule.after) await runAfterHook(rule.after, c, store, user, message)
        return
      }
    }
  }
}
