import { invalidParam, parseExperimentId } from '@logbook/core'
import type { Kysely } from 'kysely'
import type { Database } from '../schema.ts'
import type { GcCandidates, GcSelection } from '../gc-store.ts'
import type { StoreContext } from './context.ts'

const RUN_TABLES = ['params', 'tags', 'metric_chunks', 'metric_blocks', 'metric_block_pages', 'latest_metrics', 'inputs', 'input_tags', 'run_model_inputs', 'run_model_outputs'] as const
const MODEL_TABLES = ['logged_model_tags', 'logged_model_params', 'logged_model_metrics'] as const

/** Find deleted runs, experiments and logged models; named ids that are not deleted are a 400. */
export async function findGcCandidates(ctx: StoreContext, sel: GcSelection): Promise<GcCandidates> {
  const db = ctx.db
  const cutoff = sel.deletedBefore ?? Number.MAX_SAFE_INTEGER
  const named = (sel.runIds?.length ?? 0) + (sel.experimentIds?.length ?? 0) > 0
  let runs = db
    .selectFrom('runs')
    .select(['run_uuid', 'artifact_uri', 'lifecycle_stage', 'deleted_time'])
  if (named) runs = runs.where('run_uuid', 'in', sel.runIds?.length ? sel.runIds : [''])
  else runs = runs.where('lifecycle_stage', '=', 'deleted')
  const runRows = await runs.execute()
  if (sel.runIds?.length) {
    const found = new Set(runRows.map((r) => r.run_uuid))
    const missing = sel.runIds.filter((id) => !found.has(id))
    if (missing.length > 0) throw invalidParam(`Runs not found: ${missing.join(', ')}`)
  }
  for (const r of runRows) {
    if (named && r.lifecycle_stage !== 'deleted') {
      throw invalidParam(`Run ${r.run_uuid} is not in the deleted state; only deleted runs can be permanently removed.`)
    }
  }
  let exps = db.selectFrom('experiments').select(['experiment_id', 'artifact_location', 'lifecycle_stage', 'deleted_time'])
  if (named) exps = exps.where('experiment_id', 'in', sel.experimentIds?.length ? sel.experimentIds.map(parseExperimentId) : [-1])
  else exps = exps.where('lifecycle_stage', '=', 'deleted')
  const expRows = await exps.execute()
  for (const e of expRows) {
    if (named && e.lifecycle_stage !== 'deleted') {
      throw invalidParam(`Experiment ${e.experiment_id} is not in the deleted state; only deleted experiments can be permanently removed.`)
    }
  }
  if (sel.experimentIds?.length && expRows.length !== sel.experimentIds.length) {
    throw invalidParam(`Experiments not found among: ${sel.experimentIds.join(', ')}`)
  }
  const models = named
    ? []
    : await db
        .selectFrom('logged_models')
        .select(['model_id', 'artifact_location'])
        .where('lifecycle_stage', '=', 'deleted')
        .where('last_updated_timestamp_ms', '<', cutoff)
        .execute()
  const old = (t: number | null) => t === null || t < cutoff
  return {
    runs: runRows.filter((r) => old(r.deleted_time)).map((r) => ({ runId: r.run_uuid, artifactUri: r.artifact_uri })),
    experiments: expRows
      .filter((e) => old(e.deleted_time))
      .map((e) => ({ experimentId: String(e.experiment_id), artifactLocation: e.artifact_location })),
    loggedModels: models.map((m) => ({ modelId: m.model_id, artifactLocation: m.artifact_location })),
  }
}

async function purgeRunIds(trx: Kysely<Database>, ids: number[]): Promise<void> {
  if (ids.length === 0) return
  for (const table of RUN_TABLES) await trx.deleteFrom(table).where('run_id', 'in', ids).execute()
  await trx.deleteFrom('runs').where('id', 'in', ids).execute()
}

async function purgeModelIds(trx: Kysely<Database>, ids: number[]): Promise<void> {
  if (ids.length === 0) return
  for (const table of MODEL_TABLES) await trx.deleteFrom(table).where('model_id', 'in', ids).execute()
  await trx.deleteFrom('logged_models').where('id', 'in', ids).execute()
}

/** Remove one run and everything logged to it. */
export async function purgeRun(ctx: StoreContext, runUuid: string): Promise<void> {
  await ctx.adapter.transaction(async (trx) => {
    const row = await trx.selectFrom('runs').select('id').where('run_uuid', '=', runUuid).executeTakeFirst()
    if (row) await purgeRunIds(trx, [row.id])
  })
}

/** Remove one logged model with its tags, params and metrics. */
export async function purgeLoggedModel(ctx: StoreContext, modelId: string): Promise<void> {
  await ctx.adapter.transaction(async (trx) => {
    const row = await trx.selectFrom('logged_models').select('id').where('model_id', '=', modelId).executeTakeFirst()
    if (row) await purgeModelIds(trx, [row.id])
  })
}

/** Remove an experiment, its runs, logged models, datasets and tags; the name is free afterwards. */
export async function purgeExperiment(ctx: StoreContext, experimentId: string): Promise<void> {
  const id = parseExperimentId(experimentId)
  if (id === 0) throw invalidParam('The default experiment 0 cannot be removed.')
  await ctx.adapter.transaction(async (trx) => {
    const runs = await trx.selectFrom('runs').select('id').where('experiment_id', '=', id).execute()
    for (let i = 0; i < runs.length; i += 500) await purgeRunIds(trx, runs.slice(i, i + 500).map((r) => r.id))
    const models = await trx.selectFrom('logged_models').select('id').where('experiment_id', '=', id).execute()
    for (let i = 0; i < models.length; i += 500) await purgeModelIds(trx, models.slice(i, i + 500).map((m) => m.id))
    await trx.deleteFrom('datasets').where('experiment_id', '=', id).execute()
    await trx.deleteFrom('experiment_tags').where('experiment_id', '=', id).execute()
    await trx.deleteFrom('experiments').where('experiment_id', '=', id).execute()
  })
}
