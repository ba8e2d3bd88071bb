import type { Context, MiddlewareHandler } from 'hono'
import { METRIC_COLUMNS_TYPE, invalidParam } from '@logbook/core'
import { errorResponse } from '../middleware/errors.ts'
import { DEFAULT_ALLOWED_HOSTS, isApiPath, type SecurityConfig } from './config.ts'

/** Probes (load balancers, Kubernetes) may use any Host. */
const HOST_EXEMPT = new Set(['/health', '/version'])

/** Binary artifact uploads: the only state-changing API calls that are not JSON. */
const BINARY_UPLOAD = /^\/(api|ajax-api)\/2\.0\/mlflow-artifacts\/(artifacts|mpu\/part)\//
/** The binary metric batch: its own content type, which a form cannot send either (preflighted). */
const BINARY_METRICS = /^\/(api|ajax-api)\/2\.0\/logbook\/runs\/log-metrics$/

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

function refused(status: number, text: string): Response {
  return new Response(text, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } })
}

/** Split a Host header into host name and port ('' when absent); IPv6 keeps its brackets. */
export function splitHost(host: string): { name: string; port: string } {
  const lower = host.trim().toLowerCase()
  if (lower.startsWith('[')) {
    const end = lower.indexOf(']')
    return { name: lower.slice(0, end + 1), port: lower.slice(end + 2) }
  }
  const colon = lower.lastIndexOf(':')
  return colon === -1 ? { name: lower, port: '' } : { name: lower.slice(0, colon), port: lower.slice(colon + 1) }
}

function wildcard(pattern: string, value: string): boolean {
  const re = new RegExp(`^${pattern.split('*').map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`)
  return re.test(value)
}

/** Does the Host header match the allow-list? Entries without a port accept any port. */
export function hostAllowed(host: string, allowed: readonly string[]): boolean {
  if (host.trim() === '') return false
  const { name, port } = splitHost(host)
  const full = port === '' ? name : `${name}:${port}`
  return allowed.some((entry) => {
    const e = entry.trim().toLowerCase()
    if (e === '*') return true
    return e.includes(':') && !e.startsWith('[') ? wildcard(e, full) : wildcard(e, name) || wildcard(e, full)
  })
}

function requestHost(c: Context): string {
  return c.req.header('host') ?? new URL(c.req.url).host
}

function originAllowed(origin: string, c: Context, cors: readonly string[]): boolean {
  if (cors.includes('*') || cors.includes(origin)) return true
  try {
    return new URL(origin).host === requestHost(c).toLowerCase()
  } catch {
    return false
  }
}

function hasBody(c: Context): boolean {
  const length = c.req.header('content-length')
  return (length !== undefined && length !== '0') || c.req.header('transfer-encoding') !== undefined
}

/**
 * MLflow's content-type rule (CVE-2023-43472): JSON bodies force a CORS preflight. The binary
 * metric batch has its own type, equally out of a form's reach.
 */
function checkJson(c: Context, path: string): void {
  const method = c.req.method
  if (!STATE_CHANGING.has(method) || !isApiPath(path) || path.startsWith('/get-artifact')) return
  if (method === 'PUT' && BINARY_UPLOAD.test(path)) return
  if (method === 'DELETE' && !hasBody(c)) return
  const expected = method === 'POST' && BINARY_METRICS.test(path) ? METRIC_COLUMNS_TYPE : 'application/json'
  const type = c.req.header('content-type')
  if (!type) throw invalidParam('Bad Request. Content-Type header is missing.')
  if (type.split(';')[0]?.trim().toLowerCase() !== expected) {
    // Never echo the header (MLflow CVE-2023-6568).
    throw invalidParam(`Bad Request. Content-Type must be one of ['${expected}'].`)
  }
}

function corsHeaders(origin: string): Record<string, string> {
  return {
    'access-control-allow-origin': origin,
    'access-control-allow-methods': 'GET, HEAD, POST, PUT, PATCH, DELETE',
    'access-control-allow-headers': 'authorization, content-type, x-mlflow-client-version',
    'access-control-max-age': '600',
    vary: 'Origin',
  }
}

/**
 * Host allow-list (DNS rebinding), Origin check on state-changing requests (CSRF), JSON bodies on
 * the API, and CORS only for configured origins. Runs before authentication, on every request.
 */
export function securityMiddleware(config: SecurityConfig = {}): MiddlewareHandler {
  const allowedHosts = config.allowedHosts ?? DEFAULT_ALLOWED_HOSTS
  const cors = config.corsOrigins ?? []
  return async (c, next) => {
    const path = c.req.path
    if (!HOST_EXEMPT.has(path) && !hostAllowed(requestHost(c), allowedHosts)) {
      return refused(403, 'Invalid Host header - possible DNS rebinding attack detected')
    }
    const origin = c.req.header('origin')
    const corsAllowed = origin !== undefined && cors.length > 0 && (cors.includes('*') || cors.includes(origin))
    if (c.req.method === 'OPTIONS' && corsAllowed && c.req.header('access-control-request-method')) {
      return new Response(null, { status: 204, headers: corsHeaders(origin) })
    }
    if (origin !== undefined && STATE_CHANGING.has(c.req.method) && !originAllowed(origin, c, cors)) {
      return refused(403, 'Cross-origin request blocked')
    }
    try {
      checkJson(c, path)
    } catch (e) {
      return errorResponse(e as ReturnType<typeof invalidParam>)
    }
    await next()
    if (corsAllowed) for (const [k, v] of Object.entries(corsHeaders(origin))) c.res.headers.set(k, v)
  }
}
