import {
  REGISTRY_LIMITS,
  TAG_IS_PROMPT,
  alreadyExists,
  validateKey,
  validateLength,
  validateRegisteredModelName,
  validateRegistryTag,
  type KeyValue,
  type Page,
  type RegisteredModel,
} from '@logbook/core'
import { sql } from 'kysely'
import type { SearchRegistryQuery } from '../registry-store.ts'
import type { StoreContext } from './context.ts'
import { decodeOffset, offsetPage } from './paging.ts'
import {
  findRegisteredModel,
  loadRegisteredModels,
  type RegisteredModelRow,
} from './registry-loader.ts'
import { compileRegisteredModelWhere, registeredModelOrder } from './registry-search-sql.ts'

/** Last value wins for a key given twice, as MLflow's dict of tags. */
export function lastPerKey(tags: KeyValue[]): KeyValue[] {
  const map = new Map<string, string>()
  for (const t of tags) map.set(t.key, t.value)
  return [...map].map(([key, value]) => ({ key, value }))
}

function validateDescription(description: string | undefined): void {
  if (description !== undefined)
    validateLength(description, REGISTRY_LIMITS.description, 'description')
}

async function load(ctx: StoreContext, row: RegisteredModelRow): Promise<RegisteredModel> {
  return (await loadRegisteredModels(ctx.db, [row]))[0] as RegisteredModel
}

/** MLflow's messages for a taken name: a model and a prompt cannot share one either. */
async function duplicateNameError(
  ctx: StoreContext,
  name: string,
  tags: KeyValue[],
): Promise<Error> {
  const existing = await ctx.db
    .selectFrom('registered_models as rm')
    .innerJoin('registered_model_tags as t', 't.registered_model_id', 'rm.id')
    .select('t.value')
    .where('rm.name', '=', name)
    .where('t.key', '=', TAG_IS_PROMPT)
    .executeTakeFirst()
  const oldEntity = existing?.value.toLowerCase() === 'true' ? 'Prompt' : 'Registered Model'
  const isPrompt = tags.some((t) => t.key === TAG_IS_PROMPT && t.value.toLowerCase() === 'true')
  const newEntity = isPrompt ? 'Prompt' : 'Registered Model'
  if (oldEntity !== newEntity) {
    return alreadyExists(
      `Tried to create a ${newEntity.toLowerCase()} with name '${name}', but the name is already taken ` +
        `by a ${oldEntity.toLowerCase()}. MLflow does not allow creating a model and a prompt with the same name.`,
    )
  }
  return alreadyExists(`${newEntity} (name=${name}) already exists.`)
}

/** Create a registered model; a taken name is 400 RESOURCE_ALREADY_EXISTS. */
export async function createRegisteredModel(
  ctx: StoreContext,
  input: { name: string; tags: KeyValue[]; description?: string },
): Promise<RegisteredModel> {
  validateRegisteredModelName(input.name)
  for (const t of input.tags) validateRegistryTag(t.key, t.value)
  validateDescription(input.description)
  const tags = lastPerKey(input.tags)
  const now = Date.now()
  try {
    const row = await ctx.adapter.transaction(async (trx) => {
      const inserted = await trx
        .insertInto('registered_models')
        .values({
          name: input.name,
          description: input.description || null,
          creation_time: now,
          last_updated_time: now,
        })
        .returningAll()
        .executeTakeFirstOrThrow()
      if (tags.length > 0) {
        await trx
          .insertInto('registered_model_tags')
          .values(
            tags.map((t) => ({ registered_model_id: inserted.id, key: t.key, value: t.value })),
          )
          .execute()
      }
      return inserted
    })
    return await load(ctx, row)
  } catch (e) {
    if (ctx.adapter.isUniqueViolation(e)) throw await duplicateNameError(ctx, input.name, tags)
    throw e
  }
}

/** One registered model with tags, aliases and latest versions; 404 when absent. */
export async function getRegisteredModel(
  ctx: StoreContext,
  name: string,
): Promise<RegisteredModel> {
  return load(ctx, await findRegisteredModel(ctx.db, name))
}

/** Rename a model; versions, tags and aliases follow because they key on the surrogate id. */
export async function renameRegisteredModel(
  ctx: StoreContext,
  name: string,
  newName: string,
): Promise<RegisteredModel> {
  validateRegisteredModelName(newName, 'new_name')
  const now = Date.now()
  try {
    const row = await ctx.adapter.transaction(async (trx) => {
      const model = await findRegisteredModel(trx, name)
      await trx
        .updateTable('model_versions')
        .set({ last_updated_time: now })
        .where('registered_model_id', '=', model.id)
        .execute()
      return trx
        .updateTable('registered_models')
        .set({ name: newName, last_updated_time: now })
        .where('id', '=', model.id)
        .returningAll()
        .executeTakeFirstOrThrow()
    })
    return await load(ctx, row)
  } catch (e) {
    if (ctx.adapter.isUniqueViolation(e))
      throw alreadyExists(`Registered Model (name=${newName}) already exists.`)
    throw e
  }
}

/** Replace a model's description (absent clears it, as MLflow's empty proto field does). */
export async function updateRegisteredModel(
  ctx: StoreContext,
  name: string,
  description: string | undefined,
): Promise<RegisteredModel> {
  validateDescription(description)
  const row = await ctx.adapter.transaction(async (trx) => {
    const model = await findRegisteredModel(trx, name)
    return trx
      .updateTable('registered_models')
      .set({ description: description || null, last_updated_time: Date.now() })
      .where('id', '=', model.id)
      .returningAll()
      .executeTakeFirstOrThrow()
  })
  return load(ctx, row)
}

/** Hard delete of a model with its versions (deleted ones too), tags and aliases. */
export async function deleteRegisteredModel(ctx: StoreContext, name: string): Promise<void> {
  await ctx.adapter.transaction(async (trx) => {
    const { id } = await findRegisteredModel(trx, name)
    for (const table of [
      'model_version_tags',
      'model_versions',
      'registered_model_aliases',
      'registered_model_tags',
    ] as const) {
      await trx.deleteFrom(table).where('registered_model_id', '=', id).execute()
    }
    await trx.deleteFrom('registered_models').where('id', '=', id).execute()
  })
}

/** Upsert a registered-model tag. */
export async function setRegisteredModelTag(
  ctx: StoreContext,
  name: string,
  key: string,
  value: string,
): Promise<void> {
  validateRegistryTag(key, value)
  await ctx.adapter.transaction(async (trx) => {
    const { id } = await findRegisteredModel(trx, name)
    await trx
      .insertInto('registered_model_tags')
      .values({ registered_model_id: id, key, value })
      .onConflict((oc) => oc.columns(['registered_model_id', 'key']).doUpdateSet({ value }))
      .execute()
  })
}

/** Delete a registered-model tag; a missing tag is not an error (MLflow), a missing model is 404. */
export async function deleteRegisteredModelTag(
  ctx: StoreContext,
  name: string,
  key: string,
): Promise<void> {
  validateKey(key, 'Tag')
  const { id } = await findRegisteredModel(ctx.db, name)
  await ctx.db
    .deleteFrom('registered_model_tags')
    .where('registered_model_id', '=', id)
    .where('key', '=', key)
    .execute()
}

/** registered-models/search: filter, order (name ASC tie-breaker) and offset page tokens. */
export async function searchRegisteredModels(
  ctx: StoreContext,
  q: SearchRegistryQuery,
): Promise<Page<RegisteredModel>> {
  const offset = decodeOffset(q.pageToken)
  const where = compileRegisteredModelWhere(ctx.adapter, q.filter)
  const order = registeredModelOrder(q.orderBy)
  const { rows } =
    await sql<RegisteredModelRow>`select rm.* from registered_models rm where ${where}
    order by ${sql.join(order)} limit ${q.maxResults + 1} offset ${offset}`.execute(ctx.db)
  const { page, nextPageToken } = offsetPage(rows, q.maxResults, offset)
  return {
    items: await loadRegisteredModels(ctx.db, page),
    nextPageToken,
  }
}
