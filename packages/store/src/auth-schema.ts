import type { Generated, Kysely } from 'kysely'
import type { Database } from './schema.ts'

/** Table types of migration 0004 (users, tokens, grants). */
export type AuthTables = {
  users: {
    id: Generated<number>
    username: string
    password_hash: string
    is_admin: number
    created_ms: number
  }
  auth_tokens: {
    id: Generated<number>
    token_hash: string
    user_id: number
    kind: string
    name: string
    created_ms: number
    last_used_ms: number | null
    expires_ms: number | null
    revoked_ms: number | null
  }
  experiment_permissions: { experiment_id: number; user_id: number; permission: string }
  registered_model_permissions: { name: string; user_id: number; permission: string }
}

/** The tracking database seen with the auth tables. */
export type AuthDb = Kysely<Database & AuthTables>
