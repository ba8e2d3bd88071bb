import { ERROR_STATUS, MlflowError, toWireJson } from '@logbook/core'
import type { ErrorCode } from '@logbook/core'

/** How the transport retries: exponential backoff on network errors, 429 and 503 only. */
export interface RetryPolicy {
  /** Retries after the first attempt (0 disables retrying). */
  maxRetries: number
  /** Delay before the first retry; doubles each time. */
  baseDelayMs: number
  /** Upper bound of one delay. */
  maxDelayMs: number
}

/** Default retry policy: 5 retries, 200 ms doubling up to 5 s (about 11 s in all). */
export const DEFAULT_RETRY: RetryPolicy = { maxRetries: 5, baseDelayMs: 200, maxDelayMs: 5000 }

/** Options of the HTTP transport shared by every client call. */
export interface TransportOptions {
  trackingUri: string
  token?: string
  username?: string
  password?: string
  fetch?: typeof fetch
  retry?: Partial<RetryPolicy>
  /** Per-attempt timeout in milliseconds (default 120 s, like MLflow's client). */
  timeoutMs?: number
}

/** The request could not reach the server (connection refused, reset, timeout). */
export class NetworkError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'NetworkError'
  }
}

/** True for failures worth retrying later: network errors, 429 and 503. */
export function isRetryable(e: unknown): boolean {
  if (e instanceof NetworkError || (e as { name?: unknown } | null)?.name === 'NetworkError')
    return true
  const code = (e as { code?: unknown } | null)?.code
  return code === 'REQUEST_LIMIT_EXCEEDED' || code === 'TEMPORARILY_UNAVAILABLE'
}

const STATUS_CODES: Record<number, ErrorCode> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'ENDPOINT_NOT_FOUND',
  409: 'RESOURCE_CONFLICT',
  429: 'REQUEST_LIMIT_EXCEEDED',
  501: 'NOT_IMPLEMENTED',
  503: 'TEMPORARILY_UNAVAILABLE',
}

/** Rebuild core's error from an error response (shape check on `{error_code, message}`). */
export function errorFromResponse(status: number, text: string): MlflowError {
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    body = undefined
  }
  const fallback = STATUS_CODES[status] ?? 'INTERNAL_ERROR'
  if (typeof body === 'object' && body !== null) {
    const { error_code: code, message } = body as { error_code?: unknown; message?: unknown }
    if (typeof code === 'string' && typeof message === 'string') {
      // A code Logbook does not know keeps its name in the message and takes the status's code.
      if (code in ERROR_STATUS) return new MlflowError(code as ErrorCode, message)
      return new MlflowError(fallback, `${code}: ${message}`)
    }
  }
  return new MlflowError(fallback, `HTTP ${status}: ${text.slice(0, 500)}`)
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** Delay before retry number `attempt` (0-based) with up to 25 % jitter. */
export function backoffDelay(policy: RetryPolicy, attempt: number): number {
  const base = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt)
  return base * (0.75 + Math.random() * 0.25)
}

/** A request body: JSON (encoded with MLflow's NaN conventions) or raw bytes. */
export type Body = { json: unknown } | { raw: Blob | Uint8Array | string; contentType: string }

/** Fetch-based transport: auth headers, MLflow error envelopes and bounded retries. */
export class Transport {
  readonly baseUrl: string
  private readonly fetchFn: typeof fetch
  private readonly headers: Record<string, string>
  private readonly retry: RetryPolicy
  private readonly timeoutMs: number

  constructor(options: TransportOptions) {
    this.baseUrl = options.trackingUri.replace(/\/+$/, '')
    this.fetchFn = options.fetch ?? globalThis.fetch.bind(globalThis)
    this.retry = { ...DEFAULT_RETRY, ...options.retry }
    this.timeoutMs = options.timeoutMs ?? 120_000
    this.headers = {}
    if (options.token) this.headers.authorization = `Bearer ${options.token}`
    else if (options.username !== undefined && options.password !== undefined) {
      const bytes = new TextEncoder().encode(`${options.username}:${options.password}`)
      this.headers.authorization = `Basic ${btoa(String.fromCharCode(...bytes))}`
    }
  }

  /** Send one request, retrying network errors, 429 and 503; resolves to the response body. */
  async request(
    method: string,
    path: string,
    body?: Body,
    retry?: Partial<RetryPolicy>,
  ): Promise<Response> {
    const policy = { ...this.retry, ...retry }
    const headers: Record<string, string> = { ...this.headers }
    let payload: BodyInit | undefined
    if (body && 'json' in body) {
      headers['content-type'] = 'application/json'
      payload = toWireJson(body.json)
    } else if (body) {
      headers['content-type'] = body.contentType
      payload = body.raw as BodyInit
    }
    for (let attempt = 0; ; attempt++) {
      let error: unknown
      try {
        const res = await this.fetchFn(`${this.baseUrl}${path}`, {
          method,
          headers,
          body: payload,
          signal: AbortSignal.timeout(this.timeoutMs),
        })
        if (res.ok) return res
        error = errorFromResponse(res.status, await res.text())
      } catch (e) {
        error = new NetworkError(`${method} ${path} failed: ${(e as Error).message}`, { cause: e })
      }
      if (!isRetryable(error) || attempt >= policy.maxRetries) throw error
      await sleep(backoffDelay(policy, attempt))
    }
  }

  /** Send a request and parse its JSON object response (an empty body reads as `{}`). */
  async json<T>(
    method: string,
    path: string,
    body?: Body,
    retry?: Partial<RetryPolicy>,
  ): Promise<T> {
    const res = await this.request(method, path, body, retry)
    const text = await res.text()
    return (text.trim() === '' ? {} : JSON.parse(text)) as T
  }
}

/** Encode a GET query the way MLflow's client does: repeated keys for lists, undefined omitted. */
export function queryString(params: Record<string, unknown>): string {
  const q = new URLSearchParams()
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null) continue
    for (const v of Array.isArray(value) ? value : [value]) q.append(key, String(v))
  }
  const s = q.toString()
  return s === '' ? '' : `?${s}`
}
