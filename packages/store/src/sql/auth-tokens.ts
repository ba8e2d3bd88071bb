import { createHash, randomBytes } from 'node:crypto'
import { notFound } from '@logbook/core'
import type { AuthUser, TokenInfo, TokenKind } from '../auth-store.ts'
import type { AuthContext } from './auth-users.ts'

/** last_used is written at most this often per token, so a busy client does not write on every request. */
const LAST_USED_RESOLUTION_MS = 60_000

const sha256 = (token: string): string => createHash('sha256').update(token).digest('hex')

const INFO = ['id', 'name', 'created_ms', 'last_used_ms', 'expires_ms', 'revoked_ms'] as const

export async function createToken(
  a: AuthContext,
  userId: number,
  input: { name: string; kind: TokenKind; expiresMs?: number },
): Promise<{ token: string; info: TokenInfo }> {
  const token = `lbk_${randomBytes(32).toString('base64url')}`
  const info = await a.db
    .insertInto('auth_tokens')
    .values({
      token_hash: sha256(token),
      user_id: userId,
      kind: input.kind,
      name: input.name,
      created_ms: Date.now(),
      expires_ms: input.expiresMs ?? null,
    })
    .returning(INFO)
    .executeTakeFirstOrThrow()
  return { token, info }
}

export async function listTokens(a: AuthContext, userId: number, kind: TokenKind): Promise<TokenInfo[]> {
  return a.db
    .selectFrom('auth_tokens')
    .select(INFO)
    .where('user_id', '=', userId)
    .where('kind', '=', kind)
    .orderBy('id')
    .execute()
}

export async function revokeToken(a: AuthContext, userId: number, tokenId: number): Promise<void> {
  const result = await a.db
    .updateTable('auth_tokens')
    .set({ revoked_ms: Date.now() })
    .where('id', '=', tokenId)
    .where('user_id', '=', userId)
    .where('revoked_ms', 'is', null)
    .executeTakeFirst()
  if (Number(result.numUpdatedRows) === 0) {
    const exists = await a.db
      .selectFrom('auth_tokens')
      .select('id')
      .where('id', '=', tokenId)
      .where('user_id', '=', userId)
      .executeTakeFirst()
    if (!exists) throw notFound(`Token with id=${tokenId} not found`)
  }
}

export async function revokeTokenValue(a: AuthContext, token: string): Promise<void> {
  await a.db
    .updateTable('auth_tokens')
    .set({ revoked_ms: Date.now() })
    .where('token_hash', '=', sha256(token))
    .where('revoked_ms', 'is', null)
    .execute()
}

export async function revokeAllTokens(a: AuthContext, userId: number, kind: TokenKind): Promise<void> {
  await a.db
    .updateTable('auth_tokens')
    .set({ revoked_ms: Date.now() })
    .where('user_id', '=', userId)
    .where('kind', '=', kind)
    .where('revoked_ms', 'is', null)
    .execute()
}

export async function userForToken(a: AuthContext, token: string, kind: TokenKind, name?: string): Promise<AuthUser | undefined> {
  const now = Date.now()
  const row = await a.db
    .selectFrom('auth_tokens as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .select(['t.id as token_id', 't.name', 't.last_used_ms', 't.expires_ms', 't.revoked_ms', 'u.id', 'u.username', 'u.is_admin'])
    .where('t.token_hash', '=', sha256(token))
    .where('t.kind', '=', kind)
    .executeTakeFirst()
  if (!row || row.revoked_ms !== null || (row.expires_ms !== null && row.expires_ms <= now)) return undefined
  if (name !== undefined && row.name !== name) return undefined
  if (row.last_used_ms === null || now - row.last_used_ms >= LAST_USED_RESOLUTION_MS) {
    await a.db.updateTable('auth_tokens').set({ last_used_ms: now }).where('id', '=', row.token_id).execute()
  }
  return { id: row.id, username: row.username, is_admin: row.is_admin === 1 }
}
