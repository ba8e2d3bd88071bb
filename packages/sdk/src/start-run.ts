import { TAG_PARENT_RUN_ID, TAG_USER, isMlflowError } from '@logbook/core'
import { LogbookClient } from './client.ts'
import { configFromEnv } from './config.ts'
import type { Env } from './config.ts'
import { Run } from './run.ts'
import type { RunQueueOptions, Scalar } from './run.ts'

/** Options of `startRun`; without `client` the tracking server comes from `env`. */
export interface StartRunOptions {
  client?: LogbookClient
  /** Environment to read LOGBOOK_TRACKING_URI / MLFLOW_TRACKING_URI and credentials from. */
  env?: Env
  /** Experiment name (created when missing) or `{ id }`; default experiment "0". */
  experiment?: string | { id: string }
  name?: string
  tags?: Record<string, Scalar>
  /** Parent run (or its id): sets `mlflow.parentRunId`. */
  parent?: Run | string
  /** mlflow.user / user_id of the run. */
  user?: string
  /** Background metric queue tuning and its failure callback. */
  queue?: RunQueueOptions
  /**
   * Called at once when metric points could not be stored (a permanent error such as a deleted
   * run, or a full queue); the next `flush()`/`end()` also rejects. Default: console.error.
   */
  onError?: (error: unknown) => void
}

/** The id of the experiment named `name`, creating it if missing (tolerating a concurrent create). */
export async function resolveExperimentId(client: LogbookClient, name: string): Promise<string> {
  try {
    return (await client.getExperimentByName(name)).experiment_id
  } catch (e) {
    if (!isMlflowError(e) || e.code !== 'RESOURCE_DOES_NOT_EXIST') throw e
  }
  try {
    return await client.createExperiment(name)
  } catch (e) {
    // Another process created it between our lookup and create.
    if (!isMlflowError(e) || e.code !== 'RESOURCE_ALREADY_EXISTS') throw e
    return (await client.getExperimentByName(name)).experiment_id
  }
}

/** Create a run and return its fluent handle. */
export async function startRun(options: StartRunOptions = {}): Promise<Run> {
  const client = options.client ?? new LogbookClient(configFromEnv(options.env ?? {}))
  const experiment = options.experiment
  const experimentId =
    experiment === undefined
      ? undefined
      : typeof experiment === 'string'
        ? await resolveExperimentId(client, experiment)
        : experiment.id
  const tags = Object.entries(options.tags ?? {}).map(([key, value]) => ({
    key,
    value: String(value),
  }))
  if (options.parent !== undefined) {
    const parentId = typeof options.parent === 'string' ? options.parent : options.parent.id
    tags.push({ key: TAG_PARENT_RUN_ID, value: parentId })
  }
  if (options.user !== undefined && !tags.some((t) => t.key === TAG_USER)) {
    tags.push({ key: TAG_USER, value: options.user })
  }
  const run = await client.createRun({
    experimentId,
    runName: options.name,
    userId: options.user,
    tags,
  })
  const queue = options.onError ? { ...options.queue, onError: options.onError } : options.queue
  return new Run(client, run.info, queue)
}
