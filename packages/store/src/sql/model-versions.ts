import { sql, type Kysely } from 'kysely'
import {
  REGISTRY_LIMITS,
  TAG_IS_PROMPT,
  TAG_MODEL_VERSIONS,
  validateLength,
  validateRegisteredModelName,
  validateRegistryTag,
  type ModelVersion,
  type Page,
} from '@logbook/core'
import type { CreateModelVersionIn, SearchRegistryQuery } from '../registry-store.ts'
import type { Database } from '../schema.ts'
import type { StoreContext } from './context.ts'
import { decodeOffset, offsetPage } from './paging.ts'
import { resolveModelVersionSource } from './model-version-source.ts'
import { lastPerKey } from './registered-models.ts'
import {
  findModelVersion,
  findRegisteredModel,
  loadModelVersions,
  type ModelVersionRow,
} from './registry-loader.ts'
import { compileModelVersionWhere, modelVersionOrder } from './registry-search-sql.ts'

/** Concurrent creates may pick the same number on PostgreSQL; the primary key rejects one, which retries. */
const CREATE_ATTEMPTS = 3
/** Hydrate one version row with its name, tags and aliases. */
export async function loadModelVersion(
  ctx: StoreContext,
  name: string,
  row: ModelVersionRow,
): Promise<ModelVersion> {
  return (
    await loadModelVersions(ctx.db, [row], new Map([[row.registered_model_id, name]]))
  )[0] as ModelVersion
}

/** Python's json.dumps spelling of the `mlflow.modelVersions` list, which MLflow's client also writes. */
function modelVersionsJson(list: { name: string; version: string }[]): string {
  return `[${list.map((e) => `{"name": ${JSON.stringify(e.name)}, "version": ${JSON.stringify(e.version)}}`).join(', ')}]`
}

/** Append {name, version} to the logged model's `mlflow.modelVersions` tag, inside the caller's transaction. */
async function linkLoggedModel(
  trx: Kysely<Database>,
  modelId: string,
  name: string,
  version: number,
): Promise<void> {
  const model = await trx
    .selectFrom('logged_models')
    .select('id')
    .where('model_id', '=', modelId)
    .executeTakeFirst()
  if (!model) return
  const tag = await trx
    .selectFrom('logged_model_tags')
    .select('value')
    .where('model_id', '=', model.id)
    .where('key', '=', TAG_MODEL_VERSIONS)
    .executeTakeFirst()
  let list: { name: string; version: string }[] = []
  try {
    const parsed: unknown = tag ? JSON.parse(tag.value) : []
    if (Array.isArray(parsed)) list = parsed as { name: string; version: string }[]
  } catch {
    list = []
  }
  const entry = { name, version: String(version) }
  if (!list.some((e) => e.name === entry.name && String(e.version) === entry.version))
    list.push(entry)
  const value = modelVersionsJson(list)
  await trx
    .insertInto('logged_model_tags')
    .values({ model_id: model.id, key: TAG_MODEL_VERSIONS, value })
    .onConflict((oc) => oc.columns(['model_id', 'key']).doUpdateSet({ value }))
    .execute()
}

/** Create the next version (max including deleted + 1), READY at once, with a validated source. */
export async function createModelVersion(
  ctx: StoreContext,
  input: CreateModelVersionIn,
): Promise<ModelVersion> {
  validateRegisteredModelName(input.name)
  for (const t of input.tags) validateRegistryTag(t.key, t.value)
  if (input.description !== undefined)
    validateLength(input.description, REGISTRY_LIMITS.description, 'description')
  const tags = lastPerKey(input.tags)
  const isPrompt = tags.some((t) => t.key === TAG_IS_PROMPT && t.value.toLowerCase() === 'true')
  const resolved = await resolveModelVersionSource(ctx.db, {
    source: input.source,
    runId: input.runId || undefined,
    modelId: input.modelId || undefined,
    isPrompt,
  })
  for (let attempt = 1; ; attempt++) {
    try {
      const row = await ctx.adapter.transaction(async (trx) => {
        const model = await findRegisteredModel(trx, input.name)
        const max = await trx
          .selectFrom('model_versions')
          .select(({ fn }) => fn.max('version').as('v'))
          .where('registered_model_id', '=', model.id)
          .executeTakeFirst()
        const version = (max?.v ?? 0) + 1
        const now = Date.now()
        const inserted = await trx
          .insertInto('model_versions')
          .values({
            registered_model_id: model.id,
            version,
            creation_time: now,
            last_updated_time: now,
            user_id: null,
            current_stage: 'None',
            description: input.description || null,
            source: resolved.source,
            storage_location: resolved.storageLocation,
            run_id: resolved.runId ?? null,
            run_link: input.runLink || null,
            status: 'READY',
            status_message: null,
            model_id: resolved.modelId ?? null,
          })
          .returningAll()
          .executeTakeFirstOrThrow()
        if (tags.length > 0) {
          await trx
            .insertInto('model_version_tags')
            .values(
              tags.map((t) => ({
                registered_model_id: model.id,
                version,
                key: t.key,
                value: t.value,
              })),
            )
            .execute()
        }
        await trx
          .updateTable('registered_models')
          .set({ last_updated_time: now })
          .where('id', '=', model.id)
          .execute()
        if (resolved.modelId !== undefined && !isPrompt)
          await linkLoggedModel(trx, resolved.modelId, input.name, version)
        return inserted
      })
      return await loadModelVersion(ctx, input.name, row)
    } catch (e) {
      if (attempt >= CREATE_ATTEMPTS || !ctx.adapter.isUniqueViolation(e)) throw e
    }
  }
}

/** One live version; 404 when it does not exist or was deleted. */
export async function getModelVersion(
  ctx: StoreContext,
  name: string,
  version: string,
): Promise<ModelVersion> {
  const { model, row } = await findModelVersion(ctx.db, name, version)
  return loadModelVersion(ctx, model.name, row)
}
/** Where the version's files are: the resolved storage location, else the source. */
export async function getModelVersionDownloadUri(
  ctx: StoreContext,
  name: string,
  version: string,
): Promise<string> {
  const { row } = await findModelVersion(ctx.db, name, version)
  return row.storage_location ?? row.source
}
/** model-versions/search: filter, MLflow's default order and tie-breakers, offset page tokens. */
export async function searchModelVersions(
  ctx: StoreContext,
  q: SearchRegistryQuery,
): Promise<Page<ModelVersion>> {
  const offset = decodeOffset(q.pageToken)
  const where = compileModelVersionWhere(ctx.adapter, q.filter)
  const order = modelVersionOrder(q.orderBy)
  const { rows } = await sql<ModelVersionRow & { rm_name: string }>`select mv.*, rm.name as rm_name
    from model_versions mv join registered_models rm on rm.id = mv.registered_model_id
    where ${where} order by ${sql.join(order)} limit ${q.maxResults + 1} offset ${offset}`.execute(
    ctx.db,
  )
  const { page, nextPageToken } = offsetPage(rows, q.maxResults, offset)
  const names = new Map(page.map((r) => [r.registered_model_id, r.rm_name]))
  return {
    items: await loadModelVersions(ctx.db, page, names),
    nextPageToken,
  }
}
