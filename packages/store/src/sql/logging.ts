import {
  LIMITS,
  METRIC_COLUMNS_MAX_POINTS,
  invalidParam,
  notFound,
  validateKey,
  validateLength,
  type KeyValue,
  type Metric,
} from '@logbook/core'
import type { Kysely } from 'kysely'
import type { Database } from '../schema.ts'
import type { BatchIn, DatasetInputIn } from '../tracking-store.ts'
import { findActiveRun, resolveKeyIds, type StoreContext } from './context.ts'
import { normaliseTag, upsertTags } from './runs.ts'
import { toMetricRows, writeMetrics } from './metric-writer.ts'
import { recordLoggedModelMetrics } from './logged-model-metrics.ts'
import { recordExperimentKeys } from './ui-keys.ts'

/** MLflow's per-request count limits of log-batch. */
function checkBatchLimits(batch: BatchIn): void {
  const { metrics, params, tags } = batch
  const over = (n: number, max: number, what: string) => {
    if (n > max) {
      throw invalidParam(
        `A batch logging request can contain at most ${max} ${what}. Got ${n} ${what}. Please split up ${what} across multiple requests and try again.`,
      )
    }
  }
  over(metrics.length, LIMITS.batchMetrics, 'metrics')
  over(params.length, LIMITS.batchParams, 'params')
  over(tags.length, LIMITS.batchTags, 'tags')
  const total = metrics.length + params.length + tags.length
  if (total > LIMITS.batchTotal) {
    throw invalidParam(
      `A batch logging request can contain at most ${LIMITS.batchTotal} total metrics, params and tags. Got ${total}.`,
    )
  }
}

/** Check every key (and metric timestamp) before anything is written. */
function checkKeys(batch: BatchIn): void {
  const { metrics, params } = batch
  const seenKeys = new Set<string>()
  for (const m of metrics) {
    if (!seenKeys.has(m.key)) {
      validateKey(m.key, 'Metric')
      seenKeys.add(m.key)
    }
    if (m.timestamp < 0) throw invalidParam(`Metric timestamp must be non-negative, got ${m.timestamp}`)
  }
  const paramKeys = new Set<string>()
  const dupes = new Set<string>()
  for (const p of params) {
    validateKey(p.key, 'Param')
    if (paramKeys.has(p.key)) dupes.add(p.key)
    paramKeys.add(p.key)
  }
  if (dupes.size > 0) {
    throw invalidParam(`Duplicate parameter keys have been submitted: [${[...dupes].map((k) => `'${k}'`).join(', ')}]. Please ensure the request contains only one param value per param key.`)
  }
}

function truncateParam(p: KeyValue): KeyValue {
  const value = p.value ?? ''
  return { key: p.key, value: value.length > LIMITS.paramValue ? value.slice(0, LIMITS.paramValue) : value }
}

/** Params are immutable: the same value again is a no-op, a different value is a 400. */
async function insertParams(trx: Kysely<Database>, runId: number, runUuid: string, params: KeyValue[]): Promise<void> {
  if (params.length === 0) return
  const existing = await trx
    .selectFrom('params')
    .select(['key', 'value'])
    .where('run_id', '=', runId)
    .where(
      'key',
      'in',
      params.map((p) => p.key),
    )
    .execute()
  const old = new Map(existing.map((r) => [r.key, r.value]))
  const conflicts = params.filter((p) => old.has(p.key) && old.get(p.key) !== p.value)
  const [first] = conflicts
  if (first) {
    throw invalidParam(
      conflicts.length === 1
        ? `Changing param values is not allowed. Param with key='${first.key}' was already logged with value='${old.get(first.key)}' for run ID='${runUuid}'. Attempted logging new value '${first.value}'.`
        : `Changing param values is not allowed. Params were already logged='${JSON.stringify(conflicts.map((c) => ({ key: c.key, old_value: old.get(c.key), new_value: c.value })))}' for run ID='${runUuid}'.`,
    )
  }
  const fresh = params.filter((p) => !old.has(p.key))
  if (fresh.length === 0) return
  await trx
    .insertInto('params')
    .values(fresh.map((p) => ({ run_id: runId, key: p.key, value: p.value })))
    .onConflict((oc) => oc.doNothing())
    .execute()
}

/** log-batch: validate everything, then params, metrics and tags in one transaction. */
export async function logBatch(ctx: StoreContext, runUuid: string, batch: BatchIn): Promise<void> {
  checkBatchLimits(batch)
  await writeBatch(ctx, runUuid, batch)
}

/** Logbook's bulk metric route: log-batch without MLflow's 1,000-metric cap (the codec has its own). */
export async function logMetrics(ctx: StoreContext, runUuid: string, metrics: Metric[]): Promise<void> {
  if (metrics.length > METRIC_COLUMNS_MAX_POINTS) {
    throw invalidParam(`A metric batch can contain at most ${METRIC_COLUMNS_MAX_POINTS} points. Got ${metrics.length} points.`)
  }
  await writeBatch(ctx, runUuid, { metrics, params: [], tags: [] })
}

async function writeBatch(ctx: StoreContext, runUuid: string, batch: BatchIn): Promise<void> {
  checkKeys(batch)
  const params = batch.params.map(truncateParam)
  const tags = batch.tags.map(normaliseTag)
  const metricKeys = new Set(batch.metrics.map((m) => m.key))
  const keyIds = batch.metrics.length > 0 ? await resolveKeyIds(ctx, metricKeys) : ctx.keyIds
  let keysCommitted = () => {}
  await ctx.adapter.transaction(async (trx) => {
    // PostgreSQL: metric batches of one run take its row lock first, so they fold into
    // latest_metrics and the block summaries one after another (writeMetrics).
    const run = await findActiveRun(trx, runUuid, ctx.adapter.rowLocks && batch.metrics.length > 0)
    await insertParams(trx, run.id, runUuid, params)
    if (batch.metrics.length > 0) {
      await writeMetrics(ctx, trx, run.id, toMetricRows(run.id, batch.metrics, keyIds))
      await recordLoggedModelMetrics(trx, runUuid, batch.metrics)
    }
    await upsertTags(trx, run.id, tags)
    keysCommitted = await recordExperimentKeys(ctx, trx, run.experiment_id, {
      params: params.map((p) => p.key),
      metrics: metricKeys,
      tags: tags.map((t) => t.key),
    })
  })
  keysCommitted()
}

/** Delete a run tag; 404 when the key is not set. */
export async function deleteTag(ctx: StoreContext, runUuid: string, key: string): Promise<void> {
  const run = await findActiveRun(ctx.db, runUuid)
  const res = await ctx.db.deleteFrom('tags').where('run_id', '=', run.id).where('key', '=', key).executeTakeFirst()
  if (Number(res.numDeletedRows) === 0) throw notFound(`No tag with name: ${key} in run with id ${runUuid}`)
}

function validateDataset(d: DatasetInputIn): void {
  validateLength(d.dataset.name, LIMITS.datasetName, 'Dataset name')
  validateLength(d.dataset.digest, LIMITS.datasetDigest, 'Dataset digest')
  validateLength(d.dataset.source, LIMITS.datasetSource, 'Dataset source')
  validateLength(d.dataset.schema ?? '', LIMITS.datasetSchema, 'Dataset schema')
  validateLength(d.dataset.profile ?? '', LIMITS.datasetProfile, 'Dataset profile')
  for (const t of d.tags) {
    validateLength(t.key, LIMITS.inputTagKey, 'Input tag key')
    validateLength(t.value ?? '', LIMITS.inputTagValue, 'Input tag value')
  }
}

/** log-inputs: datasets deduplicated per experiment by (name, digest), input tags per run. */
export async function logInputs(ctx: StoreContext, runUuid: string, datasets: DatasetInputIn[], modelIds: string[]): Promise<void> {
  for (const d of datasets) validateDataset(d)
  await ctx.adapter.transaction(async (trx) => {
    const run = await findActiveRun(trx, runUuid)
    for (const d of datasets) {
      const ds = d.dataset
      await trx
        .insertInto('datasets')
        .values({
          experiment_id: run.experiment_id,
          name: ds.name,
          digest: ds.digest,
          source_type: ds.source_type,
          source: ds.source,
          schema: ds.schema ?? null,
          profile: ds.profile ?? null,
        })
        .onConflict((oc) => oc.columns(['experiment_id', 'name', 'digest']).doNothing())
        .execute()
      const { id } = await trx
        .selectFrom('datasets')
        .select('id')
        .where('experiment_id', '=', run.experiment_id)
        .where('name', '=', ds.name)
        .where('digest', '=', ds.digest)
        .executeTakeFirstOrThrow()
      await trx.insertInto('inputs').values({ run_id: run.id, dataset_id: id }).onConflict((oc) => oc.doNothing()).execute()
      const tags = d.tags.length > 0 ? d.tags : []
      if (tags.length > 0) {
        await trx
          .insertInto('input_tags')
          .values(tags.map((t) => ({ run_id: run.id, dataset_id: id, key: t.key, value: t.value ?? '' })))
          .onConflict((oc) => oc.columns(['run_id', 'dataset_id', 'key']).doUpdateSet((eb) => ({ value: eb.ref('excluded.value') })))
          .execute()
      }
    }
    if (modelIds.length > 0) {
      await trx
        .insertInto('run_model_inputs')
        .values(modelIds.map((model_id) => ({ run_id: run.id, model_id })))
        .onConflict((oc) => oc.doNothing())
        .execute()
    }
  })
}

/** runs/outputs: record logged models as outputs of the run. */
export async function logOutputs(ctx: StoreContext, runUuid: string, models: { model_id: string; step: number }[]): Promise<void> {
  await ctx.adapter.transaction(async (trx) => {
    const run = await findActiveRun(trx, runUuid)
    if (models.length === 0) return
    await trx
      .insertInto('run_model_outputs')
      .values(models.map((m) => ({ run_id: run.id, model_id: m.model_id, step: m.step })))
      .onConflict((oc) => oc.columns(['run_id', 'model_id']).doUpdateSet((eb) => ({ step: eb.ref('excluded.step') })))
      .execute()
  })
}

