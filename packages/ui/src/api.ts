import { useCallback, useEffect, useRef, useState } from 'react'
import { navigate } from './router.tsx'

/**
 * Fetch helpers for the UI. The UI calls the same REST API as MLflow's clients, under the /ajax-api
 * prefix (MLflow's UI prefix), plus Logbook's own routes under /ajax-api/2.0/logbook/.
 */

/** An error answered by the server in MLflow's format ({ error_code, message }). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

type Query = Record<string, string | number | boolean | readonly (string | number)[] | undefined>

function toSearch(query: Query | undefined): string {
  if (!query) return ''
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue
    if (Array.isArray(value)) for (const item of value) params.append(key, String(item))
    else params.set(key, String(value))
  }
  const text = params.toString()
  return text ? `?${text}` : ''
}

/** With `--auth`, a 401 sends the browser to the login page, which comes back here afterwards. */
function toLogin(url: string): void {
  const here = window.location.pathname + window.location.search
  if (url.includes('/logbook/auth/') || window.location.pathname === '/login') return
  navigate(`/login?next=${encodeURIComponent(here)}`, { replace: true })
}

async function open(url: string, init: RequestInit, signal?: AbortSignal): Promise<Response> {
  const response = await fetch(url, { ...init, signal })
  if (response.status === 401) toLogin(url)
  return response
}

async function send<T>(url: string, init: RequestInit, signal?: AbortSignal): Promise<T> {
  const response = await open(url, init, signal)
  return answer<T>(response, await response.text())
}

/** A response's JSON body, or its error (MLflow's format) thrown as an ApiError. */
function answer<T>(response: Response, text: string): T {
  let body: unknown = undefined
  try {
    body = text ? JSON.parse(text) : {}
  } catch {
    if (!response.ok) throw new ApiError(response.status, 'INTERNAL_ERROR', text.slice(0, 300) || response.statusText)
    throw new ApiError(response.status, 'MALFORMED_RESPONSE', 'The server answered with something that is not JSON')
  }
  if (!response.ok) {
    const error = body as { error_code?: string; message?: string }
    throw new ApiError(response.status, error.error_code ?? 'INTERNAL_ERROR', error.message ?? response.statusText)
  }
  return body as T
}

/** `/ajax-api/2.0/mlflow/<path>` (use `version: '3.0'` for the 3.0 routes). */
export const mlflow = {
  get<T>(path: string, query?: Query, opts: { signal?: AbortSignal; version?: string } = {}): Promise<T> {
    return send<T>(`/ajax-api/${opts.version ?? '2.0'}/mlflow/${path}${toSearch(query)}`, { method: 'GET' }, opts.signal)
  },
  post<T>(path: string, body: unknown, opts: { signal?: AbortSignal; version?: string } = {}): Promise<T> {
    return send<T>(
      `/ajax-api/${opts.version ?? '2.0'}/mlflow/${path}`,
      { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) },
      opts.signal,
    )
  },
  delete<T>(path: string, body: unknown, opts: { signal?: AbortSignal; version?: string } = {}): Promise<T> {
    return send<T>(
      `/ajax-api/${opts.version ?? '2.0'}/mlflow/${path}`,
      { method: 'DELETE', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) },
      opts.signal,
    )
  },
  patch<T>(path: string, body: unknown, opts: { signal?: AbortSignal; version?: string } = {}): Promise<T> {
    return send<T>(
      `/ajax-api/${opts.version ?? '2.0'}/mlflow/${path}`,
      { method: 'PATCH', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) },
      opts.signal,
    )
  },
}

/** Logbook's own routes: `/ajax-api/2.0/logbook/<path>`. */
export const logbook = {
  get<T>(path: string, query?: Query, signal?: AbortSignal): Promise<T> {
    return send<T>(`/ajax-api/2.0/logbook/${path}${toSearch(query)}`, { method: 'GET' }, signal)
  },
  post<T>(path: string, body: unknown, signal?: AbortSignal): Promise<T> {
    return send<T>(
      `/ajax-api/2.0/logbook/${path}`,
      { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) },
      signal,
    )
  },
  /** POST answered in the binary type `accept` when it succeeds (errors are JSON as usual). */
  async postBytes(path: string, body: unknown, accept: string, signal?: AbortSignal): Promise<ArrayBuffer> {
    const url = `/ajax-api/2.0/logbook/${path}`
    const headers = { 'Content-Type': 'application/json', Accept: accept }
    const response = await open(url, { method: 'POST', headers, body: JSON.stringify(body) }, signal)
    if (response.ok && response.headers.get('content-type')?.split(';')[0]?.trim() === accept) return response.arrayBuffer()
    answer(response, await response.text())
    throw new ApiError(response.status, 'MALFORMED_RESPONSE', `The server did not answer with ${accept}`)
  },
}

/** URL that streams one artifact of a run (for <img src>, downloads and previews). */
export function artifactUrl(runId: string, path: string): string {
  return `/get-artifact${toSearch({ run_id: runId, path })}`
}

export interface Loaded<T> {
  data: T | undefined
  error: Error | undefined
  loading: boolean
  reload: () => void
}

/**
 * Run `load` whenever `deps` change; aborts the previous request, keeps the last data while the next
 * one loads (no flicker), and exposes `reload()` for after a mutation.
 */
export function useLoad<T>(load: (signal: AbortSignal) => Promise<T>, deps: readonly unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: Error; loading: boolean }>({ loading: true })
  const [tick, setTick] = useState(0)
  const loadRef = useRef(load)
  loadRef.current = load
  useEffect(() => {
    const controller = new AbortController()
    setState((prev) => ({ ...prev, loading: true }))
    loadRef.current(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setState({ data, loading: false })
      },
      (error: unknown) => {
        if (controller.signal.aborted) return
        setState((prev) => ({ data: prev.data, error: error instanceof Error ? error : new Error(String(error)), loading: false }))
      },
    )
    return () => controller.abort()
    // deps are the caller's; `load` is read through a ref so a new closure each render is fine
  }, [...deps, tick])
  const reload = useCallback(() => setTick((n) => n + 1), [])
  return { data: state.data, error: state.error, loading: state.loading, reload }
}
