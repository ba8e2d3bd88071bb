import type { AuthUser, LogbookStore, PermissionName } from '@logbook/store'
import type { Resource } from './resolvers.ts'

const RANK: Record<PermissionName, number> = { NO_PERMISSIONS: 0, READ: 1, USE: 2, EDIT: 3, MANAGE: 4 }

/** Does `has` include everything `needs` allows? */
export function atLeast(has: PermissionName, needs: PermissionName): boolean {
  return RANK[has] >= RANK[needs]
}

/** Effective permissions of a user on experiments or registered models: grant, else the default. */
export async function effective(
  store: LogbookStore,
  user: AuthUser,
  type: 'experiment' | 'registered_model',
  keys: string[],
  defaultPermission: PermissionName,
): Promise<Map<string, PermissionName>> {
  const out = new Map<string, PermissionName>()
  if (keys.length === 0) return out
  if (user.is_admin) {
    for (const k of keys) out.set(k, 'MANAGE')
    return out
  }
  const grants = type === 'experiment' ? await store.experimentGrants(user.id, keys) : await store.registeredModelGrants(user.id, keys)
  for (const k of keys) out.set(k, grants.get(k) ?? defaultPermission)
  return out
}

/** May the user act on every resource at `level`? Admins always; `admin` resources only admins. */
export async function allowed(
  store: LogbookStore,
  user: AuthUser,
  resources: Resource[],
  level: PermissionName,
  defaultPermission: PermissionName,
): Promise<boolean> {
  if (user.is_admin) return true
  const experiments: string[] = []
  const models: string[] = []
  for (const r of resources) {
    if (r.type === 'admin') return false
    if (r.type === 'experiment') experiments.push(r.id)
    else models.push(r.name)
  }
  for (const [type, keys] of [['experiment', experiments], ['registered_model', models]] as const) {
    const perms = await effective(store, user, type, [...new Set(keys)], defaultPermission)
    for (const p of perms.values()) if (!atLeast(p, level)) return false
  }
  return true
}
