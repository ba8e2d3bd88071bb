import { invalidParam } from './errors.ts'
import { validateKey, validateLength } from './limits.ts'

/** MLflow's limits of the model registry and logged models (wire-protocol reference 3.1, 3.2). */
export const REGISTRY_LIMITS = {
  tagKey: 250,
  tagValue: 100_000,
  alias: 255,
  description: 5000,
  loggedModelKey: 255,
  loggedModelName: 500,
  searchRegisteredModelsDefault: 100,
  searchRegisteredModelsMax: 1000,
  searchModelVersionsDefault: 200_000,
  searchModelVersionsMax: 200_000,
  searchLoggedModelsDefault: 50,
} as const

const missing = (field: string) =>
  invalidParam(
    `Missing value for required parameter '${field}'. See the API docs for more information about request parameters.`,
  )

/** Registered model names: non-blank, no `/` or `:`, and not a name that normalises to a path. */
export function validateRegisteredModelName(name: string, field = 'name'): void {
  if (name.trim() === '') throw missing(field)
  if (name.includes('/') || name.includes(':')) {
    throw invalidParam(`Invalid model name '${name}'. Names cannot contain '/' or ':'.`)
  }
  if (name === '.' || name.startsWith('..')) {
    throw invalidParam(
      `Invalid value ${JSON.stringify(name)} for parameter '${field}' supplied: Names may be treated as ` +
        'files in certain cases, and must not resolve to other names when treated as such.',
    )
  }
}

/** A model version number: the string must be an integer, as MLflow's `int(version)`. */
export function parseModelVersion(version: string): number {
  const trimmed = version.trim()
  if (!/^[+-]?\d{1,15}$/.test(trimmed)) {
    throw invalidParam(`Parameter 'version' must be an integer, got '${version}'.`)
  }
  return Number(trimmed)
}

/** Alias names: non-empty, `[\w-]*`, at most 255 characters. */
export function validateAlias(alias: string): void {
  if (alias === '') throw invalidParam('Registered model alias name cannot be empty.')
  if (!/^[\p{L}\p{N}_-]*$/u.test(alias)) {
    throw invalidParam(
      `Invalid alias name: '${alias}'. Names may only contain alphanumerics, underscores (_), and dashes (-).`,
    )
  }
  validateLength(alias, REGISTRY_LIMITS.alias, 'Registered model alias name')
}

/** Aliases that cannot be set: `latest` (any case) and version-like `v<digits>`. */
export function validateAliasNotReserved(alias: string): void {
  if (alias.toLowerCase() === 'latest') {
    throw invalidParam("'latest' alias name (case insensitive) is reserved.")
  }
  if (/^[vV]\d+$/.test(alias)) throw invalidParam(`Version alias name '${alias}' is reserved.`)
}

/** Registered-model and model-version tags: tag key rules, values up to 100,000 characters. */
export function validateRegistryTag(key: string, value: string): void {
  validateKey(key, 'Tag')
  validateLength(key, REGISTRY_LIMITS.tagKey, 'key')
  validateLength(value, REGISTRY_LIMITS.tagValue, 'value')
}

/** Logged model names: when given, non-empty and free of `/ : . % " '`. */
export function validateLoggedModelName(name: string | undefined): void {
  if (name === undefined) return
  if (name === '' || /[/:.%"']/.test(name)) {
    throw invalidParam(
      `Invalid model name ('${name}') provided. Model name must be a non-empty string and cannot ` +
        `contain the following characters: ('/', ':', '.', '%', '"', "'")`,
    )
  }
  validateLength(name, REGISTRY_LIMITS.loggedModelName, 'name')
}

/** Logged-model tag and param keys: non-empty, at most 255 characters (MLflow's column width). */
export function validateLoggedModelKey(key: string, field: string): void {
  if (key === '') throw missing(`${field}.key`)
  validateLength(key, REGISTRY_LIMITS.loggedModelKey, key)
}

/** A fresh logged-model id: `m-` + uuid4 hex, as MLflow. */
export function generateLoggedModelId(): string {
  return `m-${crypto.randomUUID().replaceAll('-', '')}`
}
