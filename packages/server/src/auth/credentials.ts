import type { Context } from 'hono'
import { MlflowError } from '@logbook/core'
import type { AuthStore, AuthUser } from '@logbook/store'
import { errorResponse } from '../middleware/errors.ts'
import { rawTarget } from '../routes/artifact-http.ts'

/** Name of the UI's session cookie (HttpOnly, SameSite=Strict). */
export const SESSION_COOKIE = 'logbook_session'

/** Lifetime of a UI session. */
export const SESSION_MS = 12 * 60 * 60 * 1000

/** The session cookie's value, if the request carries one. */
export function sessionCookie(c: Context): string | undefined {
  const header = c.req.header('cookie')
  if (!header) return undefined
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    if (eq !== -1 && part.slice(0, eq).trim() === SESSION_COOKIE) return part.slice(eq + 1).trim()
  }
  return undefined
}

/** Set-Cookie for a new session, or (value undefined) one that clears it. */
export function sessionSetCookie(c: Context, value: string | undefined): string {
  const secure = new URL(c.req.url).protocol === 'https:' ? '; Secure' : ''
  const age = value === undefined ? 0 : Math.floor(SESSION_MS / 1000)
  return `${SESSION_COOKIE}=${value ?? ''}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${age}${secure}`
}

/** Lifetime of the token that lets MLflow's client send one multipart upload's parts. */
export const UPLOAD_TOKEN_MS = 24 * 60 * 60 * 1000

const PART_ROUTE = /^\/(?:api|ajax-api)\/2\.0\/mlflow-artifacts\/mpu\/part\/([^/?#]+)\//

/** The upload id of an `mpu/part/<upload>/...` request, decoded as its handler decodes it. */
function partUploadId(c: Context): string | undefined {
  const match = PART_ROUTE.exec(rawTarget(c))
  if (!match?.[1]) return undefined
  try {
    return decodeURIComponent(match[1])
  } catch {
    return undefined
  }
}

/** What the request presented: nothing, or credentials that were right or wrong. */
export type Authentication = { kind: 'none' } | { kind: 'invalid' } | { kind: 'user'; user: AuthUser }

function decodeBasic(value: string): { username: string; password: string } | undefined {
  let text: string
  try {
    text = Buffer.from(value, 'base64').toString('utf8')
  } catch {
    return undefined
  }
  const colon = text.indexOf(':')
  if (colon <= 0) return undefined
  return { username: text.slice(0, colon), password: text.slice(colon + 1) }
}

/**
 * Basic (MLflow's username/password), Bearer (personal access token, MLFLOW_TRACKING_TOKEN) or
 * the UI's session cookie, in that order. A wrong Authorization header never falls back to a cookie.
 */
export async function authenticate(c: Context, store: AuthStore): Promise<Authentication> {
  const header = c.req.header('authorization')
  if (header !== undefined) {
    const space = header.indexOf(' ')
    const scheme = header.slice(0, space === -1 ? undefined : space).toLowerCase()
    const value = space === -1 ? '' : header.slice(space + 1).trim()
    let user: AuthUser | undefined
    if (scheme === 'basic') {
      const creds = decodeBasic(value)
      user = creds && (await store.verifyPassword(creds.username, creds.password))
    } else if (scheme === 'bearer' && value !== '') {
      user = await store.userForToken(value, 'personal')
      // A part of a multipart upload may carry that upload's own token (see the mpu/create hook).
      const upload = user ? undefined : partUploadId(c)
      if (upload !== undefined) user = await store.userForToken(value, 'upload', upload)
    }
    return user ? { kind: 'user', user } : { kind: 'invalid' }
  }
  const session = sessionCookie(c)
  if (session !== undefined && session !== '') {
    const user = await store.userForToken(session, 'session')
    if (user) return { kind: 'user', user }
  }
  return { kind: 'none' }
}

/**
 * 401 in MLflow's JSON envelope. MLflow's clients (under /api) get `WWW-Authenticate: Basic`; the UI
 * (under /ajax-api) does not, or the browser would open its own login dialog.
 */
export function unauthenticated(c: Context): Response {
  const res = errorResponse(new MlflowError('UNAUTHENTICATED', 'You are not authenticated. Please see the documentation for details.'))
  if (!c.req.path.startsWith('/ajax-api/')) res.headers.set('www-authenticate', 'Basic realm="mlflow"')
  return res
}

/** 403 in MLflow's JSON envelope. */
export function permissionDenied(): Response {
  return errorResponse(new MlflowError('PERMISSION_DENIED', 'Permission denied'))
}
