/**
 * Searches return only what the caller may read, like MLflow's `filter_search_*`: requested
 * experiment ids are cut to readable ones, and search responses drop unreadable rows and are
 * refilled from later pages. Refills are inner requests through the app carrying the already
 * authenticated user in an env slot only this module can create.
 */
import type { Context, Hono } from 'hono'
import type { AuthUser, LogbookStore, PermissionName } from '@logbook/store'
import { atLeast, effective } from './authorize.ts'
import type { Rule } from './rules.ts'

/** Env key of inner requests; a Symbol, so no client request can carry it. */
export const INNER = Symbol('logbook.auth.inner')

/** The user an inner request runs as, if it is one. */
export function innerUser(c: Context): AuthUser | undefined {
  return (c.env as Record<symbol, AuthUser | undefined> | undefined)?.[INNER]
}

type Json = Record<string, unknown>

/** Most inner requests one search may make to refill its page. */
const MAX_REFILLS = 20

function innerRequest(c: Context, message: Json, patch: Json): Request {
  const headers = new Headers(c.req.raw.headers)
  headers.delete('content-length')
  if (c.req.method === 'GET') {
    const url = new URL(c.req.url)
    for (const [k, v] of Object.entries(patch)) {
      url.searchParams.delete(k)
      for (const item of Array.isArray(v) ? v : [v]) url.searchParams.append(k, String(item))
    }
    return new Request(url, { method: 'GET', headers })
  }
  return new Request(c.req.url, { method: c.req.method, headers, body: JSON.stringify({ ...message, ...patch }) })
}

async function readable(store: LogbookStore, user: AuthUser, type: 'experiment' | 'registered_model', keys: string[], fallback: PermissionName) {
  const perms = await effective(store, user, type, [...new Set(keys)], fallback)
  return new Set([...perms].filter(([, p]) => atLeast(p, 'READ')).map(([k]) => k))
}

/** runs/search, logged-models/search: search only the readable experiments of `experiment_ids`. */
export async function filterExperimentIds(
  c: Context,
  app: Hono,
  store: LogbookStore,
  user: AuthUser,
  message: Json,
  fallback: PermissionName,
  next: () => Promise<void>,
): Promise<Response | undefined> {
  const raw = message.experiment_ids
  const ids = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).map(String)
  const ok = await readable(store, user, 'experiment', ids, fallback)
  const kept = ids.filter((id) => ok.has(id))
  if (kept.length === ids.length) {
    await next()
    return undefined
  }
  if (kept.length === 0) return new Response('{}', { headers: { 'content-type': 'application/json' } })
  return app.fetch(innerRequest(c, message, { experiment_ids: kept }), { [INNER]: user })
}

/** Drop unreadable rows of a search response; refill up to the page's size from later pages. */
export async function filterResponse(
  c: Context,
  app: Hono,
  store: LogbookStore,
  user: AuthUser,
  rule: Extract<Rule, { access: 'filter-response' }>,
  message: Json,
  fallback: PermissionName,
): Promise<void> {
  if (c.res.status !== 200 || user.is_admin) return
  const first = (await c.res.clone().json()) as Json
  const rows = (page: Json) => (Array.isArray(page[rule.list]) ? (page[rule.list] as Json[]) : [])
  const keep = async (list: Json[]) => {
    const ok = await readable(store, user, rule.type, list.map((row) => String(row[rule.key])), fallback)
    return list.filter((row) => ok.has(String(row[rule.key])))
  }
  const target = rows(first).length
  const items = await keep(rows(first))
  let token = typeof first.next_page_token === 'string' && first.next_page_token !== '' ? first.next_page_token : undefined
  for (let i = 0; token !== undefined && items.length < target && i < MAX_REFILLS; i++) {
    const res = await app.fetch(innerRequest(c, message, { page_token: token, max_results: target - items.length }), { [INNER]: user })
    if (res.status !== 200) break
    const page = (await res.json()) as Json
    items.push(...(await keep(rows(page))))
    token = typeof page.next_page_token === 'string' && page.next_page_token !== '' ? page.next_page_token : undefined
  }
  const body: Json = { ...first }
  if (items.length > 0) body[rule.list] = items
  else delete body[rule.list]
  if (token === undefined) delete body.next_page_token
  else body.next_page_token = token
  const headers = new Headers(c.res.headers)
  headers.delete('content-length')
  c.res = new Response(JSON.stringify(body), { status: 200, headers })
}
