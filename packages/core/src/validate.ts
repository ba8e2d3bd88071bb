import type { z } from 'zod'
import { invalidParam } from './errors.ts'

const TYPE_NAMES: Record<string, string> = {
  string: 'str',
  number: 'float',
  boolean: 'bool',
  object: 'dict',
}

function pythonType(v: unknown): string {
  if (Array.isArray(v)) return 'list'
  if (v === null) return 'NoneType'
  if (typeof v === 'number' && Number.isInteger(v)) return 'int'
  return TYPE_NAMES[typeof v] ?? typeof v
}

function fieldPath(path: readonly PropertyKey[]): string {
  let out = ''
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`
    else out += out === '' ? String(part) : `.${String(part)}`
  }
  return out
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = root
  for (const part of path) {
    if (cur === null || typeof cur !== 'object') return undefined
    cur = (cur as Record<PropertyKey, unknown>)[part]
  }
  return cur
}

/**
 * Parse a request body with a core schema; failures become MLflow's messages
 * ("Missing value for required parameter 'x'" / "Invalid value 5 for parameter 'x' supplied").
 */
export function parseRequest<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input)
  if (result.success) return result.data
  const issue = result.error.issues[0]
  if (issue === undefined) throw invalidParam('Invalid request')
  // Errors on a union or a transform report the field itself; custom issues carry no deeper path.
  const path = issue.path
  const name = fieldPath(path)
  const value = valueAt(input, path)
  if (value === undefined || value === null || value === '') {
    throw invalidParam(
      `Missing value for required parameter '${name}'. ` +
        'See the API docs for more information about request parameters.',
    )
  }
  throw invalidParam(
    `Invalid value ${JSON.stringify(value)} for parameter '${name}' supplied: ` +
      `Hint: Value was of type '${pythonType(value)}'. ` +
      'See the API docs for more information about request parameters.',
  )
}
