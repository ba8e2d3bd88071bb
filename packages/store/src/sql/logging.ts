import {
  LIMITS,

  invalidParam,
  notFound,
  validateKey,
  validateLength,
  type KeyValue,
  type Metric,
} from '@logbook/core'
import { sql, type Kysely } from 'kysely'
import type { Database, MetricRow } from '../schema.ts'
import type { BatchIn, DatasetInputIn } from '../tracking-store.ts'
import { findActiveRun, resolveKeyIds, type StoreContext } from './context.ts'
import { normaliseTag, upsertTags } from './runs.ts'

/** Check MLflow's per-request limits and every key before anything is written. */
function validateBatch(batch: BatchIn): void {
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

interface Latest {
  row: MetricRow
  min: number | null
  max: number | null
}

/** Fold a batch into one candidate latest value (greatest step, timestamp, value) and min/max per key. */
function latestPerKey(rows: MetricRow[]): Latest[] {
  const byKey = new Map<number, Latest>()
  for (const r of rows) {
    const cur = byKey.get(r.keyId)
    const v = r.isNan ? null : r.value
    if (!cur) {
      byKey.set(r.keyId, { row: r, min: v, max: v })
      continue
    }
    const c = cur.row
    if (r.step > c.step || (r.step === c.step && (r.timestamp > c.timestamp || (r.timestamp === c.timestamp && r.value > c.value)))) {
      cur.row = r
    }
    if (v !== null) {
      cur.min = cur.min === null || v < cur.min ? v : cur.min
      cur.max = cur.max === null || v > cur.max ? v : cur.max
    }
  }
  return [...byKey.values()].sort((a, b) => a.row.keyId - b.row.keyId)
}

async function upsertLatest(trx: Kysely<Database>, latest: Latest[]): Promise<void> {
  if (latest.length === 0) return
  const newer = sql`(excluded.step, excluded.timestamp, excluded.value) > (latest_metrics.step, latest_metrics.timestamp, latest_metrics.value)`
  const pick = (col: string) => sql`case when ${newer} then ${sql.ref(`excluded.${col}`)} else ${sql.ref(`latest_metrics.${col}`)} end`
  const extreme = (col: 'min_value' | 'max_value', cmp: '<' | '>') =>
    sql`case when excluded.${sql.ref(col)} is null then latest_metrics.${sql.ref(col)}
      when latest_metrics.${sql.ref(col)} is null or excluded.${sql.ref(col)} ${sql.raw(cmp)} latest_metrics.${sql.ref(col)}
      then excluded.${sql.ref(col)} else latest_metrics.${sql.ref(col)} end`
  await trx
    .insertInto('latest_metrics')
    .values(
      latest.map(({ row, min, max }) => ({
        run_id: row.runId,
        key_id: row.keyId,
        step: row.step,
        timestamp: row.timestamp,
        value: row.value,
        is_nan: row.isNan,
        min_value: min,
        max_value: max,
      })),
    )
    .onConflict((oc) =>
      oc.columns(['run_id', 'key_id']).doUpdateSet({
        step: pick('step') as never,
        timestamp: pick('timestamp') as never,
        value: pick('value') as never,
        is_nan: pick('is_nan') as never,
        min_value: extreme('min_value', '<') as never,
        max_value: extreme('max_value', '>') as never,
      }),
    )
    .execute()
}

/** Turn wire metrics into rows: NaN is stored as 0 with a flag (SQLite cannot store NaN). */
function toRows(runId: number, metrics: Metric[], keyIds: Map<string, number>): MetricRow[] {
  return metrics.map((m) => {
    const nan = Number.isNaN(m.value)
    return {
      runId,
      keyId: keyIds.get(m.key) as number,
      step: m.step,
      timestamp: m.timestamp,
      value: nan ? 0 : m.value,
      isNan: nan ? 1 : 0,
    }
  })
}

/** log-batch: validate everything, then params, metrics and tags in one transaction. */
export async function logBatch(ctx: StoreContext, runUuid: string, batch: BatchIn): Promise<void> {
  validateBatch(batch)
  const params = batch.params.map(truncateParam)
  const tags = batch.tags.map(normaliseTag)
  const keyIds = batch.metrics.length > 0 ? await resolveKeyIds(ctx, new Set(batch.metrics.map((m) => m.key))) : ctx.keyIds
  await ctx.adapter.transaction(async (trx) => {
    const run = await findActiveRun(trx, runUuid)
    await insertParams(trx, run.id, runUuid, params)
    if (batch.metrics.length > 0) {
      const rows = toRows(run.id, batch.metrics, keyIds)
      await ctx.adapter.insertMetrics(trx, rows)
      await upsertLatest(trx, latestPerKey(rows))
    }
    await upsertTags(trx, run.id, tags)
  })
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

