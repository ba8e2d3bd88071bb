/**
 * MLflow's basic-auth routes for users and permissions, so `mlflow.server.get_app_client("basic-auth",
 * uri)` works unchanged: the 2.0 user and per-resource permission routes and the unified 3.x
 * `users/permissions/grant|revoke|get`. Each handler decides who may act on whom.
 */
import type { Context, Hono } from 'hono'
import { MlflowError, invalidParam, isMlflowError } from '@logbook/core'
import type { AuthUser, GrantTarget, LogbookStore, PermissionName } from '@logbook/store'
import { PERMISSIONS } from '@logbook/store'
import { readRequest } from '../middleware/request-body.ts'
import { json, type Method } from '../rpc.ts'
import { allowed, effective } from './authorize.ts'
import type { AuthConfig } from './config.ts'
import { currentUser } from './middleware.ts'

type Json = Record<string, unknown>

const API = ['/api/2.0/mlflow', '/ajax-api/2.0/mlflow']
const API3 = ['/api/3.0/mlflow', '/ajax-api/3.0/mlflow']

function field(m: Json, name: string): string {
  const v = Array.isArray(m[name]) ? (m[name] as unknown[])[0] : m[name]
  if (typeof v === 'number') return String(v)
  if (typeof v !== 'string' || v === '') throw invalidParam(`Missing value for required parameter '${name}'.`)
  return v
}

function permission(m: Json): PermissionName {
  const p = field(m, 'permission')
  if (!(PERMISSIONS as readonly string[]).includes(p)) {
    throw invalidParam(`Invalid permission '${p}'. Valid permissions are: ${PERMISSIONS.join(', ')}`)
  }
  return p as PermissionName
}

const denied = () => new MlflowError('PERMISSION_DENIED', 'Permission denied')

function me(c: Context): AuthUser {
  const user = currentUser(c)
  if (!user) throw new MlflowError('UNAUTHENTICATED', 'You are not authenticated.')
  return user
}

function requireAdmin(c: Context): AuthUser {
  const user = me(c)
  if (!user.is_admin) throw denied()
  return user
}

function route(app: Hono, prefixes: string[], method: Method, path: string, handler: (m: Json, c: Context) => Promise<unknown>) {
  for (const prefix of prefixes) {
    app.on(method, `${prefix}${path}`, async (c) => json((await handler(((await readRequest(c)) ?? {}) as Json, c)) ?? {}))
  }
}

async function userJson(store: LogbookStore, user: AuthUser) {
  return {
    ...user,
    experiment_permissions: await store.listExperimentPermissions(user.id),
    registered_model_permissions: await store.listRegisteredModelPermissions(user.id),
  }
}

function targetOf(kind: 'experiments' | 'registered-models', m: Json): GrantTarget {
  return kind === 'experiments' ? { kind: 'experiment', id: field(m, 'experiment_id') } : { kind: 'registered_model', name: field(m, 'name') }
}

function resourceTarget(m: Json): GrantTarget {
  const type = field(m, 'resource_type')
  const id = field(m, 'resource_id')
  if (type === 'experiment') return { kind: 'experiment', id }
  if (type === 'registered_model') return { kind: 'registered_model', name: id }
  throw invalidParam(`resource_type '${type}' is not supported; Logbook supports 'experiment' and 'registered_model'.`)
}

const asResource = (t: GrantTarget) => (t.kind === 'experiment' ? { type: 'experiment' as const, id: t.id } : { type: 'registered_model' as const, name: t.name })

/** Registers the user and permission routes (only when auth is on). */
export function userRoutes(app: Hono, store: LogbookStore, config: AuthConfig): void {
  const canManage = async (c: Context, t: GrantTarget) => {
    if (!(await allowed(store, me(c), [asResource(t)], 'MANAGE', config.defaultPermission))) throw denied()
  }
  const selfOrAdmin = (c: Context, username: string) => {
    const user = me(c)
    if (!user.is_admin && user.username !== username) throw denied()
    return user
  }

  route(app, API, 'POST', '/users/create', async (m, c) => {
    requireAdmin(c)
    return { user: await userJson(store, await store.createUser(field(m, 'username'), field(m, 'password'))) }
  })
  route(app, API, 'GET', '/users/get', async (m, c) => {
    const username = field(m, 'username')
    selfOrAdmin(c, username)
    return { user: await userJson(store, await store.getUser(username)) }
  })
  route(app, API, 'GET', '/users/list', async (_m, c) => {
    requireAdmin(c)
    return { users: await store.listUsers() }
  })
  route(app, API, 'GET', '/users/current', (_m, c) => Promise.resolve({ user: me(c) }))
  route(app, API, 'PATCH', '/users/update-password', async (m, c) => {
    const username = field(m, 'username')
    const user = selfOrAdmin(c, username)
    // Self-service needs the current password (MLflow 3.x), so a stolen session cannot lock the owner out.
    if (!user.is_admin && !(await store.verifyPassword(username, typeof m.current_password === 'string' ? m.current_password : ''))) {
      throw denied()
    }
    await store.updatePassword(username, field(m, 'password'))
    await store.revokeAllTokens((await store.getUser(username)).id, 'session')
  })
  route(app, API, 'PATCH', '/users/update-admin', async (m, c) => {
    requireAdmin(c)
    const value = m.is_admin
    if (typeof value !== 'boolean' && value !== 'true' && value !== 'false') {
      throw invalidParam("Missing value for required parameter 'is_admin'.")
    }
    await store.updateAdmin(field(m, 'username'), value === true || value === 'true')
  })
  route(app, API, 'DELETE', '/users/delete', async (m, c) => {
    requireAdmin(c)
    await store.deleteUser(field(m, 'username'))
  })

  for (const kind of ['experiments', 'registered-models'] as const) {
    const key = kind === 'experiments' ? 'experiment_permission' : 'registered_model_permission'
    const shape = async (t: GrantTarget, username: string) => {
      const p = await store.getPermission(t, username)
      const user = await store.getUser(username)
      return { [key]: t.kind === 'experiment' ? { experiment_id: t.id, user_id: user.id, permission: p } : { name: t.name, user_id: user.id, permission: p } }
    }
    route(app, API, 'POST', `/${kind}/permissions/create`, async (m, c) => {
      const t = targetOf(kind, m)
      await canManage(c, t)
      await store.createPermission(t, field(m, 'username'), permission(m))
      return shape(t, field(m, 'username'))
    })
    route(app, API, 'GET', `/${kind}/permissions/get`, async (m, c) => {
      const t = targetOf(kind, m)
      await canManage(c, t)
      return shape(t, field(m, 'username'))
    })
    route(app, API, 'PATCH', `/${kind}/permissions/update`, async (m, c) => {
      const t = targetOf(kind, m)
      await canManage(c, t)
      await store.updatePermission(t, field(m, 'username'), permission(m))
    })
    route(app, API, 'DELETE', `/${kind}/permissions/delete`, async (m, c) => {
      const t = targetOf(kind, m)
      await canManage(c, t)
      await store.deletePermission(t, field(m, 'username'))
    })
  }

  route(app, API3, 'POST', '/users/permissions/grant', async (m, c) => {
    const t = resourceTarget(m)
    await canManage(c, t)
    const user = await store.getUser(field(m, 'username'))
    await store.setPermission(t, user.id, permission(m))
  })
  route(app, API3, 'POST', '/users/permissions/revoke', async (m, c) => {
    const t = resourceTarget(m)
    await canManage(c, t)
    const username = field(m, 'username')
    await store.getUser(username)
    await store.deletePermission(t, username).catch((e: unknown) => {
      if (!(isMlflowError(e) && e.code === 'RESOURCE_DOES_NOT_EXIST')) throw e
    })
  })
  route(app, API3, 'GET', '/users/permissions/get', async (m, c) => {
    const t = resourceTarget(m)
    const username = field(m, 'username')
    if (me(c).username !== username && !me(c).is_admin) await canManage(c, t)
    const target = await store.getUser(username)
    const r = asResource(t)
    const key = r.type === 'experiment' ? r.id : r.name
    const p = (await effective(store, target, r.type, [key], config.defaultPermission)).get(key) ?? config.defaultPermission
    return { allowed: ['USE', 'EDIT', 'MANAGE'].includes(p), permission: p }
  })
}
