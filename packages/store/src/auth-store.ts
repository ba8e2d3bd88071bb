/** MLflow's permission levels, weakest first (NO_PERMISSIONS < READ < USE < EDIT < MANAGE). */
export const PERMISSIONS = ['NO_PERMISSIONS', 'READ', 'USE', 'EDIT', 'MANAGE'] as const

/** One of MLflow's permission names. */
export type PermissionName = (typeof PERMISSIONS)[number]

/** A user as the API shows it (never the password hash). */
export interface AuthUser {
  id: number
  username: string
  is_admin: boolean
}

/** A personal access token's metadata; the token itself is shown once, at creation. */
export interface TokenInfo {
  id: number
  name: string
  created_ms: number
  last_used_ms: number | null
  expires_ms: number | null
  revoked_ms: number | null
}

/**
 * `personal` tokens are listed and revoked by their owner; `session` tokens back the UI cookie;
 * `upload` tokens (named after one multipart upload) let MLflow's client send that upload's parts,
 * which it does without its credentials, as to presigned storage URLs.
 */
export type TokenKind = 'personal' | 'session' | 'upload'

/** MLflow's ExperimentPermission JSON. */
export interface ExperimentPermission {
  experiment_id: string
  user_id: number
  permission: PermissionName
}

/** MLflow's RegisteredModelPermission JSON. */
export interface RegisteredModelPermission {
  name: string
  user_id: number
  permission: PermissionName
}

/** Which resource a grant is on: an experiment id or a registered model name. */
export type GrantTarget = { kind: 'experiment'; id: string } | { kind: 'registered_model'; name: string }

/** Users, tokens and grants (docs/decisions/0005); stored beside the tracking data. */
export interface AuthStore {
  countUsers(): Promise<number>
  createUser(username: string, password: string, isAdmin?: boolean): Promise<AuthUser>
  /** 404 RESOURCE_DOES_NOT_EXIST when absent. */
  getUser(username: string): Promise<AuthUser>
  listUsers(): Promise<AuthUser[]>
  updatePassword(username: string, password: string): Promise<void>
  updateAdmin(username: string, isAdmin: boolean): Promise<void>
  deleteUser(username: string): Promise<void>
  /** The user when the password is right, else undefined (constant work for unknown users). */
  verifyPassword(username: string, password: string): Promise<AuthUser | undefined>

  /** A new token (`lbk_...`) for the user; only its SHA-256 is kept. */
  createToken(
    userId: number,
    input: { name: string; kind: TokenKind; expiresMs?: number },
  ): Promise<{ token: string; info: TokenInfo }>
  listTokens(userId: number, kind: TokenKind): Promise<TokenInfo[]>
  /** Revoke one of the user's tokens; 404 when it is not theirs. */
  revokeToken(userId: number, tokenId: number): Promise<void>
  /** Revoke a token by its value (logout); unknown tokens are ignored. */
  revokeTokenValue(token: string): Promise<void>
  revokeAllTokens(userId: number, kind: TokenKind): Promise<void>
  /** The user behind a live (not revoked, not expired) token of that kind (and name), else undefined. */
  userForToken(token: string, kind: TokenKind, name?: string): Promise<AuthUser | undefined>

  /** MLflow's create: RESOURCE_ALREADY_EXISTS when the user already has a grant there. */
  createPermission(target: GrantTarget, username: string, permission: PermissionName): Promise<void>
  /** MLflow's get: 404 when there is no explicit grant. */
  getPermission(target: GrantTarget, username: string): Promise<PermissionName>
  /** MLflow's update: 404 when there is no explicit grant. */
  updatePermission(target: GrantTarget, username: string, permission: PermissionName): Promise<void>
  /** MLflow's delete: 404 when there is no explicit grant. */
  deletePermission(target: GrantTarget, username: string): Promise<void>
  /** Create or replace a grant (the creator's MANAGE, the 3.x `grant` API). */
  setPermission(target: GrantTarget, userId: number, permission: PermissionName): Promise<void>
  /** Explicit grants of one user on the given experiments (absent ids: no grant). */
  experimentGrants(userId: number, experimentIds: string[]): Promise<Map<string, PermissionName>>
  /** Explicit grants of one user on the given registered models. */
  registeredModelGrants(userId: number, names: string[]): Promise<Map<string, PermissionName>>
  listExperimentPermissions(userId: number): Promise<ExperimentPermission[]>
  listRegisteredModelPermissions(userId: number): Promise<RegisteredModelPermission[]>
  /** Keep grants with a registered model across a rename; drop them when it is deleted. */
  renameRegisteredModelGrants(oldName: string, newName: string): Promise<void>
  deleteRegisteredModelGrants(name: string): Promise<void>

  /** The experiment of a run (undefined when no such run); runs never move, so this is cached. */
  experimentOfRun(runId: string): Promise<string | undefined>
  /** The experiment of a logged model (undefined when none); cached like runs. */
  experimentOfLoggedModel(modelId: string): Promise<string | undefined>
  experimentIdByName(name: string): Promise<string | undefined>
}
