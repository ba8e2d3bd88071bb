import { alreadyExists, invalidParam, notFound } from '@logbook/core'
import type { AuthUser } from '../auth-store.ts'
import {
  VerifiedPasswords,
  checkPassword,
  checkPasswordHash,
  dummyPasswordHash,
  hashPassword,
} from '../auth-password.ts'
import type { AuthDb, AuthTables } from '../auth-schema.ts'
import type { StoreContext } from './context.ts'

/** What the auth SQL shares: the store context, the widened database and the password cache. */
export interface AuthContext {
  ctx: StoreContext
  db: AuthDb
  verified: VerifiedPasswords
  runExperiments: Map<string, string>
  modelExperiments: Map<string, string>
}

type UserRow = { id: number; username: string; is_admin: number }
const toUser = (r: UserRow): AuthUser => ({ id: r.id, username: r.username, is_admin: r.is_admin === 1 })

function checkUsername(username: string): void {
  const control = [...username].some((ch) => ch.charCodeAt(0) < 0x20 || ch === '\x7f')
  if (username === '' || username.length > 255 || control || username.includes(':')) {
    throw invalidParam('Username must be 1 to 255 characters without control characters or colons.')
  }
}

export async function countUsers(a: AuthContext): Promise<number> {
  const row = await a.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst()
  return Number(row?.n ?? 0)
}

export async function createUser(a: AuthContext, username: string, password: string, isAdmin = false): Promise<AuthUser> {
  checkUsername(username)
  checkPassword(password)
  const hash = await hashPassword(password)
  try {
    const row = await a.db
      .insertInto('users')
      .values({ username, password_hash: hash, is_admin: isAdmin ? 1 : 0, created_ms: Date.now() })
      .returning(['id', 'username', 'is_admin'])
      .executeTakeFirstOrThrow()
    return toUser(row)
  } catch (e) {
    if (a.ctx.adapter.isUniqueViolation(e)) throw alreadyExists(`User '${username}' already exists.`)
    throw e
  }
}

async function findUser(a: AuthContext, username: string) {
  return a.db
    .selectFrom('users')
    .select(['id', 'username', 'is_admin', 'password_hash'])
    .where('username', '=', username)
    .executeTakeFirst()
}

export async function getUser(a: AuthContext, username: string): Promise<AuthUser> {
  const row = await findUser(a, username)
  if (!row) throw notFound(`User with username=${username} not found`)
  return toUser(row)
}

export async function listUsers(a: AuthContext): Promise<AuthUser[]> {
  const rows = await a.db.selectFrom('users').select(['id', 'username', 'is_admin']).orderBy('username').execute()
  return rows.map(toUser)
}

export async function updatePassword(a: AuthContext, username: string, password: string): Promise<void> {
  checkPassword(password)
  const user = await getUser(a, username)
  const hash = await hashPassword(password)
  await a.db.updateTable('users').set({ password_hash: hash }).where('id', '=', user.id).execute()
}

export async function updateAdmin(a: AuthContext, username: string, isAdmin: boolean): Promise<void> {
  const user = await getUser(a, username)
  await a.db.updateTable('users').set({ is_admin: isAdmin ? 1 : 0 }).where('id', '=', user.id).execute()
}

/** Delete a user with their tokens and grants, in one transaction. */
export async function deleteUser(a: AuthContext, username: string): Promise<void> {
  const user = await getUser(a, username)
  await a.ctx.adapter.transaction(async (trx) => {
    const t = trx.withTables<AuthTables>()
    await t.deleteFrom('auth_tokens').where('user_id', '=', user.id).execute()
    await t.deleteFrom('experiment_permissions').where('user_id', '=', user.id).execute()
    await t.deleteFrom('registered_model_permissions').where('user_id', '=', user.id).execute()
    await t.deleteFrom('users').where('id', '=', user.id).execute()
  })
}

export async function verifyPassword(a: AuthContext, username: string, password: string): Promise<AuthUser | undefined> {
  const row = await findUser(a, username)
  if (!row) {
    await checkPasswordHash(password, await dummyPasswordHash())
    return undefined
  }
  if (a.verified.has(row.password_hash, password)) return toUser(row)
  if (!(await checkPasswordHash(password, row.password_hash))) return undefined
  a.verified.add(row.password_hash, password)
  return toUser(row)
}
