/**
 * Logbook's own auth routes: the UI's login/logout/whoami (session cookie) and personal access
 * tokens (list, create, revoke) under `/api/2.0/logbook`.
 */
import type { Context, Hono } from 'hono'
import { MlflowError, invalidParam } from '@logbook/core'
import type { LogbookStore } from '@logbook/store'
import { readRequest } from '../middleware/request-body.ts'
import { LOGBOOK_PREFIXES, json, type Method } from '../rpc.ts'
import { SESSION_MS, authenticate, sessionCookie, sessionSetCookie } from './credentials.ts'
import { currentUser } from './middleware.ts'

type Json = Record<string, unknown>

/** Longest lifetime of a personal access token. */
const MAX_TOKEN_DAYS = 3650

function route(app: Hono, method: Method, path: string, handler: (m: Json, c: Context) => Promise<unknown>) {
  for (const prefix of LOGBOOK_PREFIXES) {
    app.on(method, `${prefix}${path}`, async (c) => {
      const result = await handler(((await readRequest(c)) ?? {}) as Json, c)
      return result instanceof Response ? result : json(result ?? {})
    })
  }
}

function me(c: Context) {
  const user = currentUser(c)
  if (!user) throw new MlflowError('UNAUTHENTICATED', 'You are not authenticated.')
  return user
}

/** `GET auth/whoami`, on whether or not auth is: the UI shows login and tokens only when it is. */
export function whoamiRoute(app: Hono, store: LogbookStore | undefined): void {
  route(app, 'GET', '/auth/whoami', async (_m, c) => {
    if (store === undefined) return { auth_enabled: false }
    const auth = await authenticate(c, store)
    return auth.kind === 'user' ? { auth_enabled: true, user: auth.user } : { auth_enabled: true }
  })
}

/** Login, logout and token routes (only when auth is on). */
export function sessionRoutes(app: Hono, store: LogbookStore): void {
  route(app, 'POST', '/auth/login', async (m, c) => {
    const username = typeof m.username === 'string' ? m.username : ''
    const password = typeof m.password === 'string' ? m.password : ''
    const user = username && password ? await store.verifyPassword(username, password) : undefined
    if (!user) throw new MlflowError('UNAUTHENTICATED', 'Invalid username or password.')
    const { token } = await store.createToken(user.id, { name: 'ui session', kind: 'session', expiresMs: Date.now() + SESSION_MS })
    // The token lives only in an HttpOnly cookie: page scripts never see it.
    const res = json({ user })
    res.headers.set('set-cookie', sessionSetCookie(c, token))
    return res
  })
  route(app, 'POST', '/auth/logout', async (_m, c) => {
    const session = sessionCookie(c)
    if (session) await store.revokeTokenValue(session)
    const res = json({})
    res.headers.set('set-cookie', sessionSetCookie(c, undefined))
    return res
  })
  route(app, 'GET', '/tokens/list', async (_m, c) => ({ tokens: await store.listTokens(me(c).id, 'personal') }))
  route(app, 'POST', '/tokens/create', async (m, c) => {
    const name = typeof m.name === 'string' ? m.name.trim() : ''
    if (name === '' || name.length > 200) throw invalidParam("Parameter 'name' must be 1 to 200 characters.")
    const days = m.expires_in_days
    if (days !== undefined && (typeof days !== 'number' || !Number.isInteger(days) || days < 1 || days > MAX_TOKEN_DAYS)) {
      throw invalidParam(`Parameter 'expires_in_days' must be an integer from 1 to ${MAX_TOKEN_DAYS}.`)
    }
    const expiresMs = typeof days === 'number' ? Date.now() + days * 86_400_000 : undefined
    const { token, info } = await store.createToken(me(c).id, { name, kind: 'personal', expiresMs })
    return { token, token_info: info }
  })
  route(app, 'POST', '/tokens/revoke', async (m, c) => {
    const id = typeof m.id === 'number' ? m.id : typeof m.id === 'string' && /^\d+$/.test(m.id) ? Number(m.id) : NaN
    if (!Number.isSafeInteger(id)) throw invalidParam("Missing value for required parameter 'id'.")
    await store.revokeToken(me(c).id, id)
  })
}
