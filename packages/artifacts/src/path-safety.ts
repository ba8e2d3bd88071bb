/**
 * The one validated resolver for artifact paths (security-history.md C and §5.1): every route and
 * store takes a `SafePath` made here, so validation and use always see the same string
 * (CVE-2024-1560 was a path validated once-decoded and used twice-decoded).
 */
import { invalidParam } from '@logbook/core'
import type { MlflowError } from '@logbook/core'

declare const safePathBrand: unique symbol

/** A normalised relative artifact path ('' is the root); only `safeArtifactPath` makes one. */
export type SafePath = string & { readonly [safePathBrand]: true }

/** The root of an artifact store. */
export const ROOT_PATH = '' as SafePath

// Python's unquote loop in MLflow's validate_path_is_safe stops after 10 rounds too.
const MAX_DECODE_ROUNDS = 10
const MAX_PATH_LENGTH = 4096

// C0 and C1 control characters, DEL included.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/
// `#` and `?` cannot round-trip through a URL; `;` is a path parameter on some servers; `\` is a
// separator on Windows (CVE-2023-6831).
const FORBIDDEN = /[#?;\\]/
const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/

function invalidPath(): MlflowError {
  return invalidParam('Invalid path')
}

/** Percent-decodes until the value is stable; a malformed escape or too many rounds is rejected. */
function decodeUntilStable(raw: string): string {
  let current = raw
  for (let round = 0; round <= MAX_DECODE_ROUNDS; round++) {
    let next: string
    try {
      next = decodeURIComponent(current)
    } catch {
      throw invalidPath()
    }
    if (next === current) return current
    current = next
  }
  throw invalidPath()
}

/**
 * Validates and normalises a raw (possibly percent-encoded) artifact path into a `SafePath`;
 * every rejection is MLflow's 400 `Invalid path`.
 */
export function safeArtifactPath(raw: string): SafePath {
  if (raw.length > MAX_PATH_LENGTH) throw invalidPath()
  const decoded = decodeUntilStable(raw)
  if (CONTROL.test(decoded) || FORBIDDEN.test(decoded)) throw invalidPath()
  if (decoded.startsWith('/') || SCHEME.test(decoded)) throw invalidPath()
  const segments: string[] = []
  for (const segment of decoded.split('/')) {
    if (segment === '..') throw invalidPath()
    if (segment === '' || segment === '.') continue
    segments.push(segment)
  }
  const first = segments[0]
  // `./C:/x` or `./file:/etc` would otherwise become a drive or a scheme once `.` is dropped.
  if (first !== undefined && SCHEME.test(first)) throw invalidPath()
  return segments.join('/') as SafePath
}

/** Joins two safe paths (e.g. a folder and a validated file name) without decoding either again. */
export function joinSafePath(dir: SafePath, name: SafePath): SafePath {
  if (dir === '') return name
  if (name === '') return dir
  return `${dir}/${name}` as SafePath
}

/** The last segment of a safe path ('' for the root). */
export function baseName(path: SafePath): string {
  return path.slice(path.lastIndexOf('/') + 1)
}

/** The folder holding a safe path ('' for top-level entries and the root). */
export function parentPath(path: SafePath): SafePath {
  const slash = path.lastIndexOf('/')
  return (slash === -1 ? '' : path.slice(0, slash)) as SafePath
}

/** True when a single directory-entry name would come back unchanged through `safeArtifactPath`. */
export function isSafeName(name: string): boolean {
  try {
    return name !== '' && !name.includes('/') && safeArtifactPath(name) === name
  } catch {
    return false
  }
}

const ARTIFACT_SCHEME = 'mlflow-artifacts:'

/**
 * The path inside this server's artifact root named by `mlflow-artifacts:/<path>` or
 * `mlflow-artifacts://<host>/<path>`; any other URI is refused, so the server never opens
 * locations outside its own root (no SSRF, no local-file reads).
 */
export function parseArtifactUri(uri: string): SafePath {
  if (uri.slice(0, ARTIFACT_SCHEME.length).toLowerCase() !== ARTIFACT_SCHEME) {
    const shown = uri.length > 200 ? `${uri.slice(0, 200)}...` : uri
    throw invalidParam(
      `The artifact URI '${shown}' is not served by this server: only mlflow-artifacts: URIs are.`,
    )
  }
  let rest = uri.slice(ARTIFACT_SCHEME.length)
  if (rest.startsWith('//')) {
    const slash = rest.indexOf('/', 2)
    rest = slash === -1 ? '' : rest.slice(slash)
  }
  if (rest.startsWith('/')) rest = rest.slice(1)
  return safeArtifactPath(rest)
}
