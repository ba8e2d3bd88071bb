import { readdirSync, readFileSync, statSync } from 'node:fs'
import { extname, join, relative, sep } from 'node:path'
import type { Hono } from 'hono'

/**
 * Serves the built web UI (packages/ui/dist) at `/`. The files are read into memory once at startup,
 * so no request path ever reaches the filesystem; unknown non-API paths get index.html (the UI routes
 * client-side), while unknown API paths keep their JSON 404.
 */

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.map': 'application/json',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
}

/** Scripts only from our origin; inline styles are allowed because the chart library sets them. */
export const UI_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "frame-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ')

const API_PATHS = ['/api/', '/ajax-api/', '/get-artifact', '/model-versions/', '/health', '/version']

interface UiFile {
  body: Buffer
  type: string
}

function readTree(root: string): Map<string, UiFile> {
  const files = new Map<string, UiFile>()
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name)
      if (entry.isDirectory()) walk(full)
      else if (entry.isFile()) {
        const urlPath = '/' + relative(root, full).split(sep).join('/')
        files.set(urlPath, { body: readFileSync(full), type: TYPES[extname(entry.name)] ?? 'application/octet-stream' })
      }
    }
  }
  walk(root)
  return files
}

/** True when `dir` holds a built UI (index.html). */
export function hasUiBuild(dir: string): boolean {
  try {
    return statSync(join(dir, 'index.html')).isFile()
  } catch {
    return false
  }
}

/** Register the UI routes last, after every API route. */
export function uiStaticRoutes(app: Hono, dir: string): void {
  const files = readTree(dir)
  const index = files.get('/index.html')
  if (!index) throw new Error(`No index.html in the UI build at ${dir}`)
  app.get('*', (c, next) => {
    const path = c.req.path
    if (API_PATHS.some((prefix) => path === prefix.replace(/\/$/, '') || path.startsWith(prefix))) return next()
    const file = files.get(path)
    // Fingerprinted assets never change; index.html must always be revalidated to pick up new builds.
    const cache = file && path.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache'
    const chosen = file ?? index
    return new Response(new Uint8Array(chosen.body), {
      headers: {
        'content-type': chosen.type,
        'cache-control': cache,
        'content-security-policy': UI_CSP,
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'same-origin',
      },
    })
  })
}
