import { VerifiedPasswords } from './auth-password.ts'
import type { AuthTables } from './auth-schema.ts'
import type { AuthStore } from './auth-store.ts'
import type { StoreContext } from './sql/context.ts'
import * as perms from './sql/auth-permissions.ts'
import * as tokens from './sql/auth-tokens.ts'
import * as users from './sql/auth-users.ts'

/** Bound of the run/logged-model -> experiment caches (entries are immutable facts). */
const CACHE_LIMIT = 100_000

async function cached(cache: Map<string, string>, key: string, load: () => Promise<string | undefined>) {
  const hit = cache.get(key)
  if (hit !== undefined) return hit
  const value = await load()
  if (value !== undefined) {
    if (cache.size >= CACHE_LIMIT) cache.clear()
    cache.set(key, value)
  }
  return value
}

/** The SQL implementation of AuthStore over the tracking store's context (one adapter). */
export function sqlAuthMethods(ctx: StoreContext): AuthStore {
  const a: users.AuthContext = {
    ctx,
    db: ctx.db.withTables<AuthTables>(),
    verified: new VerifiedPasswords(),
    runExperiments: new Map(),
    modelExperiments: new Map(),
  }
  return {
    countUsers: () => users.countUsers(a),
    createUser: (name, password, isAdmin) => users.createUser(a, name, password, isAdmin),
    getUser: (name) => users.getUser(a, name),
    listUsers: () => users.listUsers(a),
    updatePassword: (name, password) => users.updatePassword(a, name, password),
    updateAdmin: (name, isAdmin) => users.updateAdmin(a, name, isAdmin),
    deleteUser: (name) => users.deleteUser(a, name),
    verifyPassword: (name, password) => users.verifyPassword(a, name, password),
    createToken: (userId, input) => tokens.createToken(a, userId, input),
    listTokens: (userId, kind) => tokens.listTokens(a, userId, kind),
    revokeToken: (userId, id) => tokens.revokeToken(a, userId, id),
    revokeTokenValue: (token) => tokens.revokeTokenValue(a, token),
    revokeAllTokens: (userId, kind) => tokens.revokeAllTokens(a, userId, kind),
    userForToken: (token, kind, name) => tokens.userForToken(a, token, kind, name),
    createPermission: (t, name, p) => perms.createPermission(a, t, name, p),
    getPermission: (t, name) => perms.getPermission(a, t, name),
    updatePermission: (t, name, p) => perms.updatePermission(a, t, name, p),
    deletePermission: (t, name) => perms.deletePermission(a, t, name),
    setPermission: (t, userId, p) => perms.setPermission(a, t, userId, p),
    experimentGrants: (userId, ids) => perms.experimentGrants(a, userId, ids),
    registeredModelGrants: (userId, names) => perms.registeredModelGrants(a, userId, names),
    listExperimentPermissions: (userId) => perms.listExperimentPermissions(a, userId),
    listRegisteredModelPermissions: (userId) => perms.listRegisteredModelPermissions(a, userId),
    renameRegisteredModelGrants: (from, to) => perms.renameRegisteredModelGrants(a, from, to),
    deleteRegisteredModelGrants: (name) => perms.deleteRegisteredModelGrants(a, name),
    experimentOfRun: (runId) =>
      cached(a.runExperiments, runId, async () => {
        const row = await a.db.selectFrom('runs').select('experiment_id').where('run_uuid', '=', runId).executeTakeFirst()
        return row ? String(row.experiment_id) : undefined
      }),
    experimentOfLoggedModel: (modelId) =>
      cached(a.modelExperiments, modelId, async () => {
        const row = await a.db
          .selectFrom('logged_models')
          .select('experiment_id')
          .where('model_id', '=', modelId)
          .executeTakeFirst()
        return row ? String(row.experiment_id) : undefined
      }),
    experimentIdByName: async (name) => {
      const row = await a.db.selectFrom('experiments').select('experiment_id').where('name', '=', name).executeTakeFirst()
      return row ? String(row.experiment_id) : undefined
    },
  }
}
