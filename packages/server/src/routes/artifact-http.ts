/** HTTP pieces shared by every route that serves artifact bytes or reads raw artifact paths. */
import type { Context } from 'hono'
import { baseName, guessMimeType } from '@logbook/artifacts'
import type { ArtifactStore, SafePath } from '@logbook/artifacts'
import { notFound } from '@logbook/core'

/**
 * The request target exactly as the client sent it (path and query, still percent-encoded). The
 * Node adapter builds `c.req.url` with `new URL()`, which resolves `.`, `..` and `%2e%2e` segments
 * before routing, so the socket's own `incoming.url` is read instead; `app.request()` in tests has
 * no socket and falls back to the URL.
 */
export function rawTarget(c: Context): string {
  const incoming = (c.env as { incoming?: { url?: unknown } } | undefined)?.incoming
  if (typeof incoming?.url === 'string') return incoming.url
  const url = c.req.url
  return url.slice(url.indexOf('/', url.indexOf(':') + 3))
}

/** The raw value of the first `name=` query parameter; `+` is a space in query strings. */
export function rawQueryParam(c: Context, name: string): string | undefined {
  const url = rawTarget(c)
  const query = url.indexOf('?')
  if (query === -1) return undefined
  for (const pair of url.slice(query + 1).split('&')) {
    const eq = pair.indexOf('=')
    if ((eq === -1 ? pair : pair.slice(0, eq)) !== name) continue
    return eq === -1 ? '' : pair.slice(eq + 1).replaceAll('+', '%20')
  }
  return undefined
}

/** Served artifacts are untrusted documents: a sandbox (unique origin), nothing loaded or run. */
export const ARTIFACT_CSP = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:"

/** `attachment` with the file name; a non-ASCII name gets an RFC 6266 `filename*` as well. */
function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|"/g, '_')
  if (ascii === name) return `attachment; filename="${name}"`
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`
}

/**
 * Stream one stored file with MLflow's download headers: the guessed MIME type exactly (no
 * charset), attachment disposition, nosniff. Missing files are a fast 404.
 */
export async function fileResponse(c: Context, store: ArtifactStore, path: SafePath): Promise<Response> {
  const file = await store.get(path)
  if (file === undefined) throw notFound(`Artifact '${path}' does not exist.`)
  const name = baseName(path)
  const headers = {
    'content-type': guessMimeType(name),
    'content-disposition': contentDisposition(name),
    'x-content-type-options': 'nosniff',
    // An HTML or SVG artifact opened directly runs no script and gets no access to our origin.
    'content-security-policy': ARTIFACT_CSP,
    'content-length': String(file.size),
  }
  if (c.req.method === 'HEAD') {
    // Hono answers HEAD with the GET handler's headers only; close the file instead of leaking it.
    await file.body.cancel()
    return new Response(null, { status: 200, headers })
  }
  return new Response(file.body, { status: 200, headers })
}
