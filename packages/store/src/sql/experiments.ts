import {
  LIMITS,
  alreadyExists,
  invalidParam,
  notFound,
  parseExperimentId,
  validateKey,
  validateLength,
  type Experiment,
  type KeyValue,
  type LifecycleStage,
  type Page,
} from '@logbook/core'
import type { Kysely, Selectable } from 'kysely'
import type { Database } from '../schema.ts'
import type { SearchExperimentsQuery } from '../tracking-store.ts'
import type { StoreContext } from './context.ts'
import { decodeOffset, offsetPage } from './paging.ts'
import { compileExperimentFilter, experimentOrderBy } from './experiment-search-sql.ts'

type ExperimentRow = Selectable<Database['experiments']>

function joinRoot(root: string, id: number): string {
  return `${root.replace(/\/+$/, '')}/${id}`
}

/** Reject artifact locations MLflow rejects: run URIs, fragments, params, traversal in a query. */
function validateArtifactLocation(location: string): void {
  validateLength(location, LIMITS.artifactLocation, 'artifact_location')
  if (location.startsWith('runs:')) {
    throw invalidParam(`Artifact location cannot be a runs:/ URI. Given: '${location}'`)
  }
  const q = location.indexOf('?')
  if (location.includes('#') || location.includes(';') || (q >= 0 && location.slice(q).includes('..'))) {
    throw invalidParam(`Invalid artifact location: '${location}'`)
  }
}

/** Load one experiment with its tags; 404 when absent. */
export async function getExperiment(db: Kysely<Database>, experimentId: string): Promise<Experiment> {
  const id = parseExperimentId(experimentId)
  const row = await db.selectFrom('experiments').selectAll().where('experiment_id', '=', id).executeTakeFirst()
  if (!row) throw notFound(`No Experiment with id=${experimentId} exists`)
  return (await withTags(db, [row]))[0] as Experiment
}

async function withTags(db: Kysely<Database>, rows: ExperimentRow[]): Promise<Experiment[]> {
  if (rows.length === 0) return []
  const tags = await db
    .selectFrom('experiment_tags')
    .select(['experiment_id', 'key', 'value'])
    .where(
      'experiment_id',
      'in',
      rows.map((r) => r.experiment_id),
    )
    .orderBy('key')
    .execute()
  const byId = new Map<number, KeyValue[]>()
  for (const t of tags) {
    const list = byId.get(t.experiment_id) ?? []
    list.push({ key: t.key, value: t.value })
    byId.set(t.experiment_id, list)
  }
  return rows.map((r) => ({
    experiment_id: String(r.experiment_id),
    name: r.name,
    artifact_location: r.artifact_location,
    lifecycle_stage: r.lifecycle_stage as LifecycleStage,
    creation_time: r.creation_time,
    last_update_time: r.last_update_time,
    tags: byId.get(r.experiment_id) ?? [],
  }))
}

/** Create the Default experiment "0" when the store is new. */
export async function ensureDefaultExperiment(ctx: StoreContext): Promise<void> {
  const now = Date.now()
  await ctx.db
    .insertInto('experiments')
    .values({
      experiment_id: 0,
      name: 'Default',
      artifact_location: joinRoot(ctx.defaultArtifactRoot, 0),
      lifecycle_stage: 'active',
      creation_time: now,
      last_update_time: now,
      deleted_time: null,
    })
    .onConflict((oc) => oc.doNothing())
    .execute()
}

function validateName(name: string): void {
  if (name.length > LIMITS.experimentName) {
    throw invalidParam(`Experiment name exceeds the maximum length of ${LIMITS.experimentName} characters`)
  }
}

function validateExperimentTag(key: string, value: string): void {
  validateKey(key, 'Tag')
  validateLength(value, LIMITS.experimentTagValue, key)
}

/** Create an experiment; a name already taken (even by a deleted experiment) is RESOURCE_ALREADY_EXISTS. */
export async function createExperiment(
  ctx: StoreContext,
  name: string,
  artifactLocation: string | undefined,
  tags: KeyValue[],
): Promise<string> {
  validateName(name)
  if (artifactLocation !== undefined && artifactLocation !== '') validateArtifactLocation(artifactLocation)
  for (const t of tags) validateExperimentTag(t.key, t.value)
  const now = Date.now()
  try {
    return await ctx.adapter.transaction(async (trx) => {
      const row = await trx
        .insertInto('experiments')
        .values({
          name,
          artifact_location: artifactLocation || '',
          lifecycle_stage: 'active',
          creation_time: now,
          last_update_time: now,
          deleted_time: null,
        })
        .returning('experiment_id')
        .executeTakeFirstOrThrow()
      const id = row.experiment_id
      if (!artifactLocation) {
        await trx
          .updateTable('experiments')
          .set({ artifact_location: joinRoot(ctx.defaultArtifactRoot, id) })
          .where('experiment_id', '=', id)
          .execute()
      }
      if (tags.length > 0) {
        await trx
          .insertInto('experiment_tags')
          .values(tags.map((t) => ({ experiment_id: id, key: t.key, value: t.value })))
          .onConflict((oc) => oc.columns(['experiment_id', 'key']).doUpdateSet((eb) => ({ value: eb.ref('excluded.value') })))
          .execute()
      }
      return String(id)
    })
  } catch (e) {
    if (ctx.adapter.isUniqueViolation(e)) throw alreadyExists(`Experiment(name=${name}) already exists.`)
    throw e
  }
}

/** Find an experiment by exact name, deleted ones included. */
export async function getExperimentByName(db: Kysely<Database>, name: string): Promise<Experiment | undefined> {
  const row = await db.selectFrom('experiments').selectAll().where('name', '=', name).executeTakeFirst()
  return row ? (await withTags(db, [row]))[0] : undefined
}

async function requireActive(db: Kysely<Database>, experimentId: string): Promise<number> {
  const exp = await getExperiment(db, experimentId)
  if (exp.lifecycle_stage !== 'active') {
    throw invalidParam(`The experiment ${experimentId} must be in the 'active' state. Current state is deleted.`)
  }
  return Number(exp.experiment_id)
}

/** Rename an active experiment. */
export async function renameExperiment(ctx: StoreContext, experimentId: string, newName: string): Promise<void> {
  if (newName === '') throw invalidParam("Missing value for required parameter 'new_name'.")
  validateName(newName)
  const id = await requireActive(ctx.db, experimentId)
  try {
    await ctx.db
      .updateTable('experiments')
      .set({ name: newName, last_update_time: Date.now() })
      .where('experiment_id', '=', id)
      .execute()
  } catch (e) {
    if (ctx.adapter.isUniqueViolation(e)) throw alreadyExists(`Experiment(name=${newName}) already exists.`)
    throw e
  }
}

/** Soft-delete (or restore) an experiment together with all of its runs. */
export async function setExperimentLifecycle(
  ctx: StoreContext,
  experimentId: string,
  stage: LifecycleStage,
): Promise<void> {
  const exp = await getExperiment(ctx.db, experimentId)
  const from = stage === 'deleted' ? 'active' : 'deleted'
  if (exp.lifecycle_stage !== from) {
    throw notFound(`Cannot ${stage === 'deleted' ? 'delete' : 'restore'} experiment ${experimentId}: it is already ${exp.lifecycle_stage}.`)
  }
  if (stage === 'deleted' && experimentId === '0') {
    throw invalidParam('Cannot delete the default experiment 0.')
  }
  const now = Date.now()
  const deletedTime = stage === 'deleted' ? now : null
  const id = Number(exp.experiment_id)
  await ctx.adapter.transaction(async (trx) => {
    await trx
      .updateTable('experiments')
      .set({ lifecycle_stage: stage, last_update_time: now, deleted_time: deletedTime })
      .where('experiment_id', '=', id)
      .execute()
    await trx
      .updateTable('runs')
      .set({ lifecycle_stage: stage, deleted_time: deletedTime })
      .where('experiment_id', '=', id)
      .execute()
  })
}

/** Upsert an experiment tag (experiment must be active). */
export async function setExperimentTag(ctx: StoreContext, experimentId: string, key: string, value: string): Promise<void> {
  validateExperimentTag(key, value)
  const id = await requireActive(ctx.db, experimentId)
  await ctx.db
    .insertInto('experiment_tags')
    .values({ experiment_id: id, key, value })
    .onConflict((oc) => oc.columns(['experiment_id', 'key']).doUpdateSet({ value }))
    .execute()
}

/** Delete an experiment tag; 404 when the key is not set. */
export async function deleteExperimentTag(ctx: StoreContext, experimentId: string, key: string): Promise<void> {
  const id = await requireActive(ctx.db, experimentId)
  const res = await ctx.db
    .deleteFrom('experiment_tags')
    .where('experiment_id', '=', id)
    .where('key', '=', key)
    .executeTakeFirst()
  if (Number(res.numDeletedRows) === 0) throw notFound(`No tag with name: ${key} in experiment ${experimentId}.`)
}

/** Search experiments with filter, order and offset paging. */
export async function searchExperiments(ctx: StoreContext, q: SearchExperimentsQuery): Promise<Page<Experiment>> {
  const offset = decodeOffset(q.pageToken)
  let query = ctx.db.selectFrom('experiments as e').selectAll('e')
  if (q.viewType === 'ACTIVE_ONLY') query = query.where('e.lifecycle_stage', '=', 'active')
  else if (q.viewType === 'DELETED_ONLY') query = query.where('e.lifecycle_stage', '=', 'deleted')
  if (q.filter) query = query.where(compileExperimentFilter(ctx.adapter, q.filter))
  for (const o of experimentOrderBy(q.orderBy)) query = query.orderBy(o)
  const rows = await query.limit(q.maxResults + 1).offset(offset).execute()
  const { page, nextPageToken } = offsetPage(rows, q.maxResults, offset)
  return {
    items: await withTags(ctx.db, page),
    nextPageToken,
  }
}

