import { alreadyExists, invalidParam, notFound } from '@logbook/core'
import {
  PERMISSIONS,
  type ExperimentPermission,
  type GrantTarget,
  type PermissionName,
  type RegisteredModelPermission,
} from '../auth-store.ts'
import { getUser, type AuthContext } from './auth-users.ts'
import { chunks } from './context.ts'

/** A permission name from a request; MLflow's message for anything else. */
export function checkPermissionName(permission: string): PermissionName {
  if (!(PERMISSIONS as readonly string[]).includes(permission)) {
    throw invalidParam(`Invalid permission '${permission}'. Valid permissions are: ${PERMISSIONS.join(', ')}`)
  }
  return permission as PermissionName
}

function experimentNumber(id: string): number {
  if (!/^[0-9]{1,18}$/.test(id)) throw invalidParam(`Invalid value '${id}' for parameter 'experiment_id' supplied.`)
  return Number(id)
}

function describe(target: GrantTarget, username: string): string {
  return target.kind === 'experiment'
    ? `experiment_id=${target.id} and username=${username}`
    : `name=${target.name} and username=${username}`
}

async function current(a: AuthContext, target: GrantTarget, userId: number): Promise<string | undefined> {
  const row =
    target.kind === 'experiment'
      ? await a.db
          .selectFrom('experiment_permissions')
          .select('permission')
          .where('experiment_id', '=', experimentNumber(target.id))
          .where('user_id', '=', userId)
          .executeTakeFirst()
      : await a.db
          .selectFrom('registered_model_permissions')
          .select('permission')
          .where('name', '=', target.name)
          .where('user_id', '=', userId)
          .executeTakeFirst()
  return row?.permission
}

async function write(a: AuthContext, target: GrantTarget, userId: number, permission: PermissionName): Promise<void> {
  if (target.kind === 'experiment') {
    await a.db
      .insertInto('experiment_permissions')
      .values({ experiment_id: experimentNumber(target.id), user_id: userId, permission })
      .onConflict((oc) => oc.columns(['experiment_id', 'user_id']).doUpdateSet({ permission }))
      .execute()
  } else {
    await a.db
      .insertInto('registered_model_permissions')
      .values({ name: target.name, user_id: userId, permission })
      .onConflict((oc) => oc.columns(['name', 'user_id']).doUpdateSet({ permission }))
      .execute()
  }
}

async function remove(a: AuthContext, target: GrantTarget, userId: number): Promise<void> {
  if (target.kind === 'experiment') {
    await a.db
      .deleteFrom('experiment_permissions')
      .where('experiment_id', '=', experimentNumber(target.id))
      .where('user_id', '=', userId)
      .execute()
  } else {
    await a.db
      .deleteFrom('registered_model_permissions')
      .where('name', '=', target.name)
      .where('user_id', '=', userId)
      .execute()
  }
}

const label = (t: GrantTarget) => (t.kind === 'experiment' ? 'Experiment' : 'Registered model')

export async function createPermission(a: AuthContext, target: GrantTarget, username: string, permission: PermissionName): Promise<void> {
  const user = await getUser(a, username)
  if ((await current(a, target, user.id)) !== undefined) {
    throw alreadyExists(`${label(target)} permission (${describe(target, username)}) already exists`)
  }
  await write(a, target, user.id, checkPermissionName(permission))
}

export async function getPermission(a: AuthContext, target: GrantTarget, username: string): Promise<PermissionName> {
  const user = await getUser(a, username)
  const permission = await current(a, target, user.id)
  if (permission === undefined) throw notFound(`${label(target)} permission with ${describe(target, username)} not found`)
  return permission as PermissionName
}

export async function updatePermission(a: AuthContext, target: GrantTarget, username: string, permission: PermissionName): Promise<void> {
  await getPermission(a, target, username)
  const user = await getUser(a, username)
  await write(a, target, user.id, checkPermissionName(permission))
}

export async function deletePermission(a: AuthContext, target: GrantTarget, username: string): Promise<void> {
  await getPermission(a, target, username)
  const user = await getUser(a, username)
  await remove(a, target, user.id)
}

export async function setPermission(a: AuthContext, target: GrantTarget, userId: number, permission: PermissionName): Promise<void> {
  await write(a, target, userId, checkPermissionName(permission))
}

export async function experimentGrants(a: AuthContext, userId: number, ids: string[]): Promise<Map<string, PermissionName>> {
  const numbers = ids.filter((id) => /^[0-9]{1,18}$/.test(id)).map(Number)
  const out = new Map<string, PermissionName>()
  if (numbers.length === 0) return out
  for (const chunk of chunks(numbers)) {
    const rows = await a.db
      .selectFrom('experiment_permissions')
      .select(['experiment_id', 'permission'])
      .where('user_id', '=', userId)
      .where('experiment_id', 'in', chunk)
      .execute()
    for (const r of rows) out.set(String(r.experiment_id), r.permission as PermissionName)
  }
  return out
}

export async function registeredModelGrants(a: AuthContext, userId: number, names: string[]): Promise<Map<string, PermissionName>> {
  const out = new Map<string, PermissionName>()
  for (const chunk of chunks(names)) {
    const rows = await a.db
      .selectFrom('registered_model_permissions')
      .select(['name', 'permission'])
      .where('user_id', '=', userId)
      .where('name', 'in', chunk)
      .execute()
    for (const r of rows) out.set(r.name, r.permission as PermissionName)
  }
  return out
}

export async function listExperimentPermissions(a: AuthContext, userId: number): Promise<ExperimentPermission[]> {
  const rows = await a.db
    .selectFrom('experiment_permissions')
    .select(['experiment_id', 'user_id', 'permission'])
    .where('user_id', '=', userId)
    .orderBy('experiment_id')
    .execute()
  return rows.map((r) => ({ experiment_id: String(r.experiment_id), user_id: r.user_id, permission: r.permission as PermissionName }))
}

export async function listRegisteredModelPermissions(a: AuthContext, userId: number): Promise<RegisteredModelPermission[]> {
  const rows = await a.db
    .selectFrom('registered_model_permissions')
    .select(['name', 'user_id', 'permission'])
    .where('user_id', '=', userId)
    .orderBy('name')
    .execute()
  return rows.map((r) => ({ name: r.name, user_id: r.user_id, permission: r.permission as PermissionName }))
}

export async function renameRegisteredModelGrants(a: AuthContext, oldName: string, newName: string): Promise<void> {
  await a.db.updateTable('registered_model_permissions').set({ name: newName }).where('name', '=', oldName).execute()
}

export async function deleteRegisteredModelGrants(a: AuthContext, name: string): Promise<void> {
  await a.db.deleteFrom('registered_model_permissions').where('name', '=', name).execute()
}
