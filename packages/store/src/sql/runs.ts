import {
  LIMITS,
  TAG_RUN_NAME,
  TAG_USER,
  generateRunId,
  generateRunName,
  invalidParam,
  parseExperimentId,
  validateKey,
  type KeyValue,
  type LifecycleStage,
  type Run,
  type RunInfo,
  type RunStatus,
} from '@logbook/core'
import type { Kysely } from 'kysely'
import type { Database } from '../schema.ts'
import { findActiveRun, findRun, type StoreContext } from './context.ts'
import { getExperiment } from './experiments.ts'
import { loadRuns, toRunInfo } from './run-loader.ts'
import { recordExperimentKeys } from './ui-keys.ts'

/** Run tag values beyond MLflow's limit are truncated, as MLflow's server does by default. */
export function normaliseTag(t: KeyValue): KeyValue {
  validateKey(t.key, 'Tag')
  const value = t.value ?? ''
  return { key: t.key, value: value.length > LIMITS.runTagValue ? value.slice(0, LIMITS.runTagValue) : value }
}

/** Create a run in an active experiment, resolving its name like MLflow. */
export async function createRun(
  ctx: StoreContext,
  input: { experimentId?: string; userId?: string; runName?: string; startTime?: number; tags: KeyValue[] },
): Promise<Run> {
  const experimentId = input.experimentId || '0'
  parseExperimentId(experimentId)
  const tags = new Map<string, string>()
  for (const t of input.tags) {
    const n = normaliseTag(t)
    tags.set(n.key, n.value)
  }
  const tagName = tags.get(TAG_RUN_NAME)
  if (input.runName && tagName !== undefined && tagName !== input.runName) {
    throw invalidParam(
      `Both 'run_name' argument and 'mlflow.runName' tag are specified, but with different values (run_name='${input.runName}', mlflow.runName='${tagName}').`,
    )
  }
  const name = input.runName || tagName || generateRunName()
  tags.set(TAG_RUN_NAME, name)
  const exp = await getExperiment(ctx.db, experimentId)
  if (exp.lifecycle_stage !== 'active') {
    throw invalidParam(`The experiment ${experimentId} must be in the 'active' state. Current state is deleted.`)
  }
  const runUuid = generateRunId()
  const row = {
    run_uuid: runUuid,
    experiment_id: Number(exp.experiment_id),
    name,
    user_id: input.userId || tags.get(TAG_USER) || 'unknown',
    status: 'RUNNING',
    start_time: input.startTime ?? Date.now(),
    end_time: null,
    artifact_uri: `${exp.artifact_location.replace(/\/+$/, '')}/${runUuid}/artifacts`,
    lifecycle_stage: 'active',
    deleted_time: null,
  }
  let keysCommitted = () => {}
  const created = await ctx.adapter.transaction(async (trx) => {
    const inserted = await trx.insertInto('runs').values(row).returningAll().executeTakeFirstOrThrow()
    await trx
      .insertInto('tags')
      .values([...tags].map(([key, value]) => ({ run_id: inserted.id, key, value })))
      .execute()
    keysCommitted = await recordExperimentKeys(ctx, trx, inserted.experiment_id, { tags: tags.keys() })
    return inserted
  })
  keysCommitted()
  return (await loadRuns(ctx.db, [created]))[0] as Run
}

/** Load one run with everything logged to it; 404 when absent. Deleted runs are returned too. */
export async function getRun(db: Kysely<Database>, runUuid: string): Promise<Run> {
  const ref = await findRun(db, runUuid)
  const row = await db.selectFrom('runs').selectAll().where('id', '=', ref.id).executeTakeFirstOrThrow()
  return (await loadRuns(db, [row]))[0] as Run
}

/** Apply status / end_time / run_name to an active run. */
export async function updateRun(
  ctx: StoreContext,
  runUuid: string,
  update: { status?: RunStatus; endTime?: number; runName?: string },
): Promise<RunInfo> {
  const row = await ctx.adapter.transaction(async (trx) => {
    const run = await findActiveRun(trx, runUuid)
    const set: { status?: string; end_time?: number; name?: string } = {}
    if (update.status !== undefined) set.status = update.status
    if (update.endTime !== undefined) set.end_time = update.endTime
    if (update.runName) {
      set.name = update.runName
      await upsertTags(trx, run.id, [{ key: TAG_RUN_NAME, value: update.runName }])
    }
    if (Object.keys(set).length > 0) await trx.updateTable('runs').set(set).where('id', '=', run.id).execute()
    return trx.selectFrom('runs').selectAll().where('id', '=', run.id).executeTakeFirstOrThrow()
  })
  return toRunInfo(row)
}

/** Soft-delete or restore one run (no state checks, as in MLflow). */
export async function setRunLifecycle(ctx: StoreContext, runUuid: string, stage: LifecycleStage): Promise<void> {
  const run = await findRun(ctx.db, runUuid)
  await ctx.db
    .updateTable('runs')
    .set({ lifecycle_stage: stage, deleted_time: stage === 'deleted' ? Date.now() : null })
    .where('id', '=', run.id)
    .execute()
}

/** Upsert tags; `mlflow.runName` also renames the run. */
export async function upsertTags(trx: Kysely<Database>, runId: number, tags: KeyValue[]): Promise<void> {
  if (tags.length === 0) return
  const last = new Map<string, string>()
  for (const t of tags) last.set(t.key, t.value)
  await trx
    .insertInto('tags')
    .values([...last].map(([key, value]) => ({ run_id: runId, key, value })))
    .onConflict((oc) => oc.columns(['run_id', 'key']).doUpdateSet((eb) => ({ value: eb.ref('excluded.value') })))
    .execute()
  const name = last.get(TAG_RUN_NAME)
  if (name !== undefined) await trx.updateTable('runs').set({ name }).where('id', '=', runId).execute()
}
