import { invalidParam } from './errors.ts'
import type { MlflowError } from './errors.ts'

/**
 * What a model version's `source` refers to. Logbook serves artifacts only from its own root, so
 * only these forms are accepted (security-history.md A: every other scheme was an attack path).
 */
export type ModelSource =
  | { kind: 'logged-model'; modelId: string }
  | { kind: 'model-version'; name: string; version?: number; stage?: string; alias?: string }
  | { kind: 'run'; runId: string; path: string }
  | { kind: 'artifacts'; uri: string }

const MAX_SOURCE_LENGTH = 2048
const MAX_DECODE_ROUNDS = 10

function invalidSource(source: string, why: string): MlflowError {
  const shown = source.length > 200 ? `${source.slice(0, 200)}...` : source
  return invalidParam(`Invalid model version source: '${shown}'. ${why}`)
}

/** Percent-decoding like Python's unquote_plus, but lenient: invalid UTF-8 decodes byte-wise. */
function decodeOnce(value: string): string {
  return value.replaceAll('+', ' ').replace(/(?:%[0-9a-fA-F]{2})+/g, (run) => {
    try {
      return decodeURIComponent(run)
    } catch {
      return run.replace(/%([0-9a-fA-F]{2})/g, (_m, hex: string) =>
        String.fromCharCode(parseInt(hex, 16)),
      )
    }
  })
}

/** Decodes until stable (bounded), so `%252e%252e` is seen as `..`. */
export function decodeUntilStable(value: string): string {
  let current = value
  for (let i = 0; i < MAX_DECODE_ROUNDS; i++) {
    const next = decodeOnce(current)
    if (next === current) return current
    current = next
  }
  return current
}

/** True when a path holds a `..` segment (either slash direction), NUL or another control character. */
export function hasTraversal(value: string): boolean {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value)) return true
  return value.split(/[/\\]/).some((segment) => segment === '..')
}

/** Splits `scheme:rest`; the scheme is lower-cased so `MODELS:` cannot dodge a rule. */
function splitScheme(source: string): { scheme: string; rest: string } | undefined {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):(.*)$/s.exec(source)
  if (m === null) return undefined
  return { scheme: (m[1] as string).toLowerCase(), rest: m[2] as string }
}

/** The path of `//authority/path` or `/path`; undefined when an authority (host) is present. */
function localPath(rest: string): string | undefined {
  if (!rest.startsWith('//')) return rest
  const afterSlashes = rest.slice(2)
  const slash = afterSlashes.indexOf('/')
  const authority = slash < 0 ? afterSlashes : afterSlashes.slice(0, slash)
  if (authority !== '') return undefined
  return slash < 0 ? '' : afterSlashes.slice(slash)
}

function parseModelsUri(source: string, path: string): ModelSource {
  if (!path.startsWith('/'))
    throw invalidSource(source, 'Expected models:/<model_id> or models:/<name>/<version>.')
  const parts = path.replace(/^\/+/, '').split('/')
  const [first, suffix] = parts
  if (parts.length > 2 || first === undefined || first.trim() === '') {
    throw invalidSource(source, 'Expected models:/<model_id> or models:/<name>/<version>.')
  }
  if (suffix !== undefined) {
    if (suffix.trim() === '') throw invalidSource(source, 'The version part is empty.')
    if (/^\d+$/.test(suffix)) return { kind: 'model-version', name: first, version: Number(suffix) }
    if (suffix.toLowerCase() === 'latest') return { kind: 'model-version', name: first }
    return { kind: 'model-version', name: first, stage: suffix }
  }
  const at = first.lastIndexOf('@')
  if (at >= 0) {
    const alias = first.slice(at + 1)
    if (alias.trim() === '' || at === 0)
      throw invalidSource(source, 'Expected models:/<name>@<alias>.')
    return { kind: 'model-version', name: first.slice(0, at), alias }
  }
  return { kind: 'logged-model', modelId: first }
}

/**
 * Classifies and checks a model version source: `models:/<model_id>`, `models:/<name>/<version>`
 * (or `/latest`, `/<stage>`, `@<alias>`), `runs:/<run_id>/<path>` and `mlflow-artifacts:/<path>`.
 * Rejects every other scheme, bare paths, hosts, and `..`/NUL after repeated percent-decoding.
 */
export function parseModelVersionSource(source: string): ModelSource {
  if (source.length > MAX_SOURCE_LENGTH) {
    throw invalidSource(source, `Sources are limited to ${MAX_SOURCE_LENGTH} characters.`)
  }
  const decoded = decodeUntilStable(source)
  if (hasTraversal(decoded) || hasTraversal(source)) {
    throw invalidSource(
      source,
      'An absolute path must be provided without relative path references (..) or control characters.',
    )
  }
  const split = splitScheme(source)
  const allowed =
    'Logbook accepts models:/<model_id>, models:/<name>/<version>, runs:/<run_id>/<path> and ' +
    'mlflow-artifacts:/<path> sources only; local paths, file: and other storage schemes are rejected.'
  if (split === undefined) throw invalidSource(source, allowed)
  const path = localPath(split.rest)
  if (path === undefined) throw invalidSource(source, 'A host in the source URI is not allowed.')
  switch (split.scheme) {
    case 'models':
      return parseModelsUri(source, path)
    case 'runs': {
      if (/[?#]/.test(decoded))
        throw invalidSource(source, 'Queries and fragments are not allowed.')
      const trimmed = path.replace(/^\/+/, '')
      const slash = trimmed.indexOf('/')
      const runId = slash < 0 ? trimmed : trimmed.slice(0, slash)
      if (runId === '') throw invalidSource(source, 'Expected runs:/<run_id>/<path>.')
      return { kind: 'run', runId, path: slash < 0 ? '' : trimmed.slice(slash + 1) }
    }
    case 'mlflow-artifacts':
      if (/[?#]/.test(decoded))
        throw invalidSource(source, 'Queries and fragments are not allowed.')
      if (!path.startsWith('/')) throw invalidSource(source, 'Expected mlflow-artifacts:/<path>.')
      return { kind: 'artifacts', uri: source }
    default:
      throw invalidSource(source, allowed)
  }
}
