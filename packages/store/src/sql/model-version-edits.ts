import {
  REGISTRY_LIMITS,
  canonicalStage,
  invalidParam,
  validateKey,
  validateLength,
  validateRegistryTag,
  type ModelVersion,
} from '@logbook/core'
import type { StoreContext } from './context.ts'
import { loadModelVersion } from './model-versions.ts'
import { STAGE_DELETED, findModelVersion } from './registry-loader.ts'

/** Replace a version's description (absent clears it, as MLflow). */
export async function updateModelVersion(
  ctx: StoreContext,
  name: string,
  version: string,
  description: string | undefined,
): Promise<ModelVersion> {
  if (description !== undefined)
    validateLength(description, REGISTRY_LIMITS.description, 'description')
  const row = await ctx.adapter.transaction(async (trx) => {
    const found = await findModelVersion(trx, name, version)
    return trx
      .updateTable('model_versions')
      .set({ description: description || null, last_updated_time: Date.now() })
      .where('registered_model_id', '=', found.model.id)
      .where('version', '=', found.row.version)
      .returningAll()
      .executeTakeFirstOrThrow()
  })
  return loadModelVersion(ctx, name, row)
}

/** Soft delete: hidden from every read, aliases removed, source and run redacted, number kept. */
export async function deleteModelVersion(
  ctx: StoreContext,
  name: string,
  version: string,
): Promise<void> {
  await ctx.adapter.transaction(async (trx) => {
    const { model, row } = await findModelVersion(trx, name, version)
    const now = Date.now()
    await trx
      .deleteFrom('registered_model_aliases')
      .where('registered_model_id', '=', model.id)
      .where('version', '=', row.version)
      .execute()
    await trx
      .updateTable('model_versions')
      .set({
        current_stage: STAGE_DELETED,
        last_updated_time: now,
        description: null,
        user_id: null,
        source: 'REDACTED-SOURCE-PATH',
        storage_location: null,
        run_id: 'REDACTED-RUN-ID',
        run_link: 'REDACTED-RUN-LINK',
        status_message: null,
      })
      .where('registered_model_id', '=', model.id)
      .where('version', '=', row.version)
      .execute()
    await trx
      .updateTable('registered_models')
      .set({ last_updated_time: now })
      .where('id', '=', model.id)
      .execute()
  })
}

/** Move a version to a stage; with archive_existing_versions, others in that stage become Archived. */
export async function transitionModelVersionStage(
  ctx: StoreContext,
  name: string,
  version: string,
  stage: string,
  archiveExisting: boolean,
): Promise<ModelVersion> {
  const target = canonicalStage(stage)
  if (archiveExisting && target !== 'Staging' && target !== 'Production') {
    throw invalidParam(
      `Model version transition cannot archive existing model versions because '${stage}' is not an Active stage. Valid stages are Staging, Production`,
    )
  }
  const row = await ctx.adapter.transaction(async (trx) => {
    const found = await findModelVersion(trx, name, version)
    const now = Date.now()
    if (archiveExisting) {
      await trx
        .updateTable('model_versions')
        .set({ current_stage: 'Archived', last_updated_time: now })
        .where('registered_model_id', '=', found.model.id)
        .where('version', '<>', found.row.version)
        .where('current_stage', '=', target)
        .execute()
    }
    await trx
      .updateTable('registered_models')
      .set({ last_updated_time: now })
      .where('id', '=', found.model.id)
      .execute()
    return trx
      .updateTable('model_versions')
      .set({ current_stage: target, last_updated_time: now })
      .where('registered_model_id', '=', found.model.id)
      .where('version', '=', found.row.version)
      .returningAll()
      .executeTakeFirstOrThrow()
  })
  return loadModelVersion(ctx, name, row)
}
/** Upsert a model-version tag. */
export async function setModelVersionTag(
  ctx: StoreContext,
  name: string,
  version: string,
  key: string,
  value: string,
): Promise<void> {
  validateRegistryTag(key, value)
  await ctx.adapter.transaction(async (trx) => {
    const { model, row } = await findModelVersion(trx, name, version)
    await trx
      .insertInto('model_version_tags')
      .values({ registered_model_id: model.id, version: row.version, key, value })
      .onConflict((oc) =>
        oc.columns(['registered_model_id', 'version', 'key']).doUpdateSet({ value }),
      )
      .execute()
  })
}

/** Delete a model-version tag; a missing tag is not an error (MLflow), a missing version is 404. */
export async function deleteModelVersionTag(
  ctx: StoreContext,
  name: string,
  version: string,
  key: string,
): Promise<void> {
  validateKey(key, 'Tag')
  const { model, row } = await findModelVersion(ctx.db, name, version)
  await ctx.db
    .deleteFrom('model_version_tags')
    .where('registered_model_id', '=', model.id)
    .where('version', '=', row.version)
    .where('key', '=', key)
    .execute()
}
