import { invalidParam } from './errors.ts'

/** MLflow's validation limits (wire-protocol reference, section 3). */
export const LIMITS = {
  keyLength: 250,
  paramValue: 6000,
  runTagValue: 8000,
  experimentTagValue: 5000,
  experimentName: 500,
  artifactLocation: 2048,
  batchMetrics: 1000,
  batchParams: 100,
  batchTags: 100,
  batchTotal: 1000,
  searchMaxResults: 50000,
  datasetName: 500,
  datasetDigest: 36,
  datasetSource: 65535,
  datasetSchema: 1048575,
  datasetProfile: 16777215,
  inputTagKey: 255,
  inputTagValue: 500,
} as const

const KEY_CHARS = /^[\p{L}\p{N}_\-. :/]*$/u

function isNormalisedPath(key: string): boolean {
  if (key === '.' || key.startsWith('..') || key.startsWith('/') || key.endsWith('/')) return false
  return !key.split('/').some((part) => part === '' || part === '.' || part === '..')
}

/** Validate a metric, param or tag key as MLflow's server does. */
export function validateKey(key: string, what: 'Metric' | 'Param' | 'Tag' = 'Param'): void {
  if (key === '') {
    throw invalidParam(
      "Missing value for required parameter 'key'. See the API docs for more information about request parameters.",
    )
  }
  if (!KEY_CHARS.test(key)) {
    throw invalidParam(
      `Invalid ${what.toLowerCase()} name: '${key}'. Names may only contain alphanumerics, underscores (_), ` +
        'dashes (-), periods (.), spaces ( ), colon(:) and slashes (/).',
    )
  }
  if (!isNormalisedPath(key)) {
    throw invalidParam(
      `Invalid ${what.toLowerCase()} name: '${key}'. Names cannot resolve to a different path when ` +
        "normalized (e.g. 'a//b', 'a/./b', 'a/') or start with '/' or '..'.",
    )
  }
  validateLength(key, LIMITS.keyLength, key)
}

/** Reject a value longer than `max` characters with MLflow's message. */
export function validateLength(value: string, max: number, name: string): void {
  if (value.length > max) {
    throw invalidParam(`'${name.slice(0, 50)}' exceeds the maximum length of ${max} characters`)
  }
}

/** Experiment ids are integer strings in every SQL store of MLflow and Logbook. */
export function parseExperimentId(id: string): number {
  if (!/^\d{1,15}$/.test(id)) {
    throw invalidParam(`Experiment ID must be a valid integer, got '${id.slice(0, 50)}'`)
  }
  return Number(id)
}

/** Run ids as MLflow's log-batch validates them. */
export function validateRunId(id: string): void {
  if (!/^[a-zA-Z0-9][\w-]{0,255}$/.test(id)) {
    throw invalidParam(`Invalid run ID: '${id.slice(0, 64)}'`)
  }
}
