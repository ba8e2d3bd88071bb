import type { Kysely, Selectable } from 'kysely'
import {
  generateLoggedModelId,
  generateRunName,
  invalidParam,
  notFound,
  validateLoggedModelKey,
  validateLoggedModelName,
  type KeyValue,
  type LoggedModel,
  type LoggedModelStatus,
  type ModelMetric,
} from '@logbook/core'
import type { CreateLoggedModelIn } from '../logged-model-store.ts'
import type { Database } from '../schema.ts'
import { chunks, type StoreContext } from './context.ts'
import { getExperiment } from './experiments.ts'
import { lastPerKey } from './registered-models.ts'

export type LoggedModelRow = Selectable<Database['logged_models']>

/** Look a logged model up by its public id; 404 when absent, and when deleted unless allowed. */
export async function findLoggedModel(
  db: Kysely<Database>,
  modelId: string,
  allowDeleted = true,
): Promise<LoggedModelRow> {
  let query = db.selectFrom('logged_models').selectAll().where('model_id', '=', modelId)
  if (!allowDeleted) query = query.where('lifecycle_stage', '<>', 'deleted')
  const row = await query.executeTakeFirst()
  if (!row) throw notFound(`Logged model with ID '${modelId}' not found.`)
  return row
}

function push<T>(map: Map<number, T[]>, id: number, item: T): void {
  const list = map.get(id)
  if (list) list.push(item)
  else map.set(id, [item])
}

/** Hydrate logged-model rows with tags, params and metrics (three queries per 500 models). */
export async function loadLoggedModels(
  db: Kysely<Database>,
  rows: LoggedModelRow[],
): Promise<LoggedModel[]> {
  const tags = new Map<number, KeyValue[]>()
  const params = new Map<number, KeyValue[]>()
  const metrics = new Map<number, ModelMetric[]>()
  const publicId = new Map(rows.map((r) => [r.id, r.model_id]))
  for (const part of chunks(rows.map((r) => r.id))) {
    const [t, p, m] = await Promise.all([
      db
        .selectFrom('logged_model_tags')
        .selectAll()
        .where('model_id', 'in', part)
        .orderBy('key')
        .execute(),
      db
        .selectFrom('logged_model_params')
        .selectAll()
        .where('model_id', 'in', part)
        .orderBy('key')
        .execute(),
      db
        .selectFrom('logged_model_metrics')
        .selectAll()
        .where('model_id', 'in', part)
        .orderBy('key')
        .orderBy('step')
        .orderBy('timestamp')
        .execute(),
    ])
    for (const r of t) push(tags, r.model_id, { key: r.key, value: r.value })
    for (const r of p) push(params, r.model_id, { key: r.key, value: r.value })
    for (const r of m) {
      push(metrics, r.model_id, {
        key: r.key,
        value: r.is_nan ? Number.NaN : r.value,
        timestamp: r.timestamp,
        step: r.step,
        ...(r.dataset_name ? { dataset_name: r.dataset_name } : {}),
        ...(r.dataset_digest ? { dataset_digest: r.dataset_digest } : {}),
        model_id: publicId.get(r.model_id) as string,
        ...(r.run_id ? { run_id: r.run_id } : {}),
      })
    }
  }
  return rows.map((r) => ({
    info: {
      model_id: r.model_id,
      experiment_id: String(r.experiment_id),
      name: r.name,
      artifact_uri: r.artifact_location,
      creation_timestamp_ms: r.creation_timestamp_ms,
      last_updated_timestamp_ms: r.last_updated_timestamp_ms,
      status: r.status as LoggedModelStatus,
      ...(r.model_type ? { model_type: r.model_type } : {}),
      ...(r.source_run_id ? { source_run_id: r.source_run_id } : {}),
      ...(r.status_message ? { status_message: r.status_message } : {}),
      tags: tags.get(r.id) ?? [],
    },
    data: { params: params.get(r.id) ?? [], metrics: metrics.get(r.id) ?? [] },
  }))
}

async function loadOne(db: Kysely<Database>, row: LoggedModelRow): Promise<LoggedModel> {
  return (await loadLoggedModels(db, [row]))[0] as LoggedModel
}

function validatePairs(list: KeyValue[], field: string): KeyValue[] {
  for (const kv of list) validateLoggedModelKey(kv.key, field)
  return lastPerKey(list)
}

/** Params are immutable, as on runs: the same value again is a no-op, a different one a 400. */
async function insertParams(
  trx: Kysely<Database>,
  row: LoggedModelRow,
  params: KeyValue[],
): Promise<void> {
  if (params.length === 0) return
  const old = new Map<string, string>()
  for (const part of chunks(params.map((p) => p.key))) {
    const existing = await trx
      .selectFrom('logged_model_params')
      .select(['key', 'value'])
      .where('model_id', '=', row.id)
      .where('key', 'in', part)
      .execute()
    for (const e of existing) old.set(e.key, e.value)
  }
  const changed = params.find((p) => old.has(p.key) && old.get(p.key) !== p.value)
  if (changed) {
    throw invalidParam(
      `Changing param values is not allowed. Param with key='${changed.key}' was already logged with ` +
        `value='${old.get(changed.key)}' for model ID='${row.model_id}'. Attempted logging new value '${changed.value}'.`,
    )
  }
  const fresh = params.filter((p) => !old.has(p.key))
  for (const part of chunks(fresh, 300)) {
    await trx
      .insertInto('logged_model_params')
      .values(part.map((p) => ({ model_id: row.id, key: p.key, value: p.value })))
      .execute()
  }
}

async function upsertTags(trx: Kysely<Database>, modelId: number, tags: KeyValue[]): Promise<void> {
  for (const part of chunks(tags, 300)) {
    await trx
      .insertInto('logged_model_tags')
      .values(part.map((t) => ({ model_id: modelId, key: t.key, value: t.value })))
      .onConflict((oc) =>
        oc.columns(['model_id', 'key']).doUpdateSet((eb) => ({ value: eb.ref('excluded.value') })),
      )
      .execute()
  }
}

/** Create a PENDING model under `<experiment artifact_location>/models/<model_id>/artifacts`. */
export async function createLoggedModel(
  ctx: StoreContext,
  input: CreateLoggedModelIn,
): Promise<LoggedModel> {
  validateLoggedModelName(input.name)
  const params = validatePairs(input.params, 'params')
  const tags = validatePairs(input.tags, 'tags')
  const exp = await getExperiment(ctx.db, input.experimentId)
  if (exp.lifecycle_stage !== 'active') {
    throw invalidParam(
      `The experiment ${input.experimentId} must be in the 'active' state. Current state is deleted.`,
    )
  }
  const modelId = generateLoggedModelId()
  const now = Date.now()
  const row = await ctx.adapter.transaction(async (trx) => {
    const inserted = await trx
      .insertInto('logged_models')
      .values({
        model_id: modelId,
        experiment_id: Number(exp.experiment_id),
        name: input.name ?? generateRunName(),
        model_type: input.modelType || null,
        source_run_id: input.sourceRunId || null,
        status: 'LOGGED_MODEL_PENDING',
        status_message: null,
        artifact_location: `${exp.artifact_location.replace(/\/+$/, '')}/models/${modelId}/artifacts`,
        lifecycle_stage: 'active',
        creation_timestamp_ms: now,
        last_updated_timestamp_ms: now,
        creator: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    await insertParams(trx, inserted, params)
    await upsertTags(trx, inserted.id, tags)
    return inserted
  })
  return loadOne(ctx.db, row)
}

/** One logged model; deleted models are 404 unless `allowDeleted`. */
export async function getLoggedModel(
  ctx: StoreContext,
  modelId: string,
  allowDeleted: boolean,
): Promise<LoggedModel> {
  return loadOne(ctx.db, await findLoggedModel(ctx.db, modelId, allowDeleted))
}

async function touch(
  ctx: StoreContext,
  modelId: string,
  set: { status?: LoggedModelStatus; lifecycle_stage?: string },
): Promise<LoggedModelRow> {
  return ctx.adapter.transaction(async (trx) => {
    const row = await findLoggedModel(trx, modelId)
    return trx
      .updateTable('logged_models')
      .set({ ...set, last_updated_timestamp_ms: Date.now() })
      .where('id', '=', row.id)
      .returningAll()
      .executeTakeFirstOrThrow()
  })
}

/** Set the final status (READY or UPLOAD_FAILED) of a model. */
export async function finalizeLoggedModel(
  ctx: StoreContext,
  modelId: string,
  status: LoggedModelStatus,
): Promise<LoggedModel> {
  return loadOne(ctx.db, await touch(ctx, modelId, { status }))
}

/** Soft delete: hidden from search and from get without allow_deleted. */
export async function deleteLoggedModel(ctx: StoreContext, modelId: string): Promise<void> {
  await touch(ctx, modelId, { lifecycle_stage: 'deleted' })
}

/** Upsert tags of a model. */
export async function setLoggedModelTags(
  ctx: StoreContext,
  modelId: string,
  tags: KeyValue[],
): Promise<void> {
  const list = validatePairs(tags, 'tags')
  await ctx.adapter.transaction(async (trx) => {
    const row = await findLoggedModel(trx, modelId)
    await upsertTags(trx, row.id, list)
  })
}

/** Delete one tag; 404 when the model or the tag is missing. */
export async function deleteLoggedModelTag(
  ctx: StoreContext,
  modelId: string,
  key: string,
): Promise<void> {
  const row = await findLoggedModel(ctx.db, modelId)
  const res = await ctx.db
    .deleteFrom('logged_model_tags')
    .where('model_id', '=', row.id)
    .where('key', '=', key)
    .executeTakeFirst()
  if (Number(res.numDeletedRows) === 0) {
    throw notFound(`No tag with key '${key}' found for model with ID '${modelId}'.`)
  }
}

/** Log params of a model (the client sends params beyond the first 100 this way). */
export async function logLoggedModelParams(
  ctx: StoreContext,
  modelId: string,
  params: KeyValue[],
): Promise<void> {
  const list = validatePairs(params, 'params')
  await ctx.adapter.transaction(async (trx) => {
    await insertParams(trx, await findLoggedModel(trx, modelId), list)
  })
}
