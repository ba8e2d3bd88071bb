import type { Kysely } from 'kysely'
import {
  MODEL_VERSION_STAGES,
  canonicalStage,
  invalidParam,
  notFound,
  parseModelVersion,
  validateAlias,
  validateAliasNotReserved,
  validateRegisteredModelName,
  type ModelVersion,
} from '@logbook/core'
import type { Database } from '../schema.ts'
import type { StoreContext } from './context.ts'
import {
  findModelVersion,
  findRegisteredModel,
  latestVersionRows,
  loadModelVersions,
  type RegisteredModelRow,
} from './registry-loader.ts'

/** Latest live version per stage; `stages` (any case) restricts the stages, 400 for unknown ones. */
export async function getLatestVersions(
  ctx: StoreContext,
  name: string,
  stages?: string[],
): Promise<ModelVersion[]> {
  const model = await findRegisteredModel(ctx.db, name)
  const wanted =
    stages && stages.length > 0
      ? [...new Set(stages.map(canonicalStage))]
      : [...MODEL_VERSION_STAGES]
  const rows = await latestVersionRows(ctx.db, [model.id], wanted)
  return loadModelVersions(ctx.db, rows, new Map([[model.id, model.name]]))
}

/** The newest live version number (of a stage when given), for `models:/<name>/latest` and `@latest`. */
export async function resolveLatestVersion(
  db: Kysely<Database>,
  model: RegisteredModelRow,
  stage?: string,
): Promise<number> {
  const rows = await latestVersionRows(
    db,
    [model.id],
    stage === undefined ? undefined : [canonicalStage(stage)],
  )
  if (rows.length === 0) {
    const stageText = stage === undefined ? '' : ` and stage '${stage}'`
    throw notFound(`No versions of model with name '${model.name}'${stageText} found`)
  }
  return Math.max(...rows.map((r) => r.version))
}

/** The version an alias points at; an unknown alias is 400 INVALID_PARAMETER_VALUE, as MLflow. */
export async function resolveAliasVersion(
  db: Kysely<Database>,
  model: RegisteredModelRow,
  alias: string,
): Promise<number> {
  validateAlias(alias)
  if (alias.toLowerCase() === 'latest') return resolveLatestVersion(db, model)
  const row = await db
    .selectFrom('registered_model_aliases')
    .select('version')
    .where('registered_model_id', '=', model.id)
    .where('alias', '=', alias)
    .executeTakeFirst()
  if (!row) throw invalidParam(`Registered model alias ${alias} not found.`)
  return row.version
}

/** Point an alias at an existing live version (upsert). */
export async function setRegisteredModelAlias(
  ctx: StoreContext,
  name: string,
  alias: string,
  version: string,
): Promise<void> {
  validateRegisteredModelName(name)
  validateAlias(alias)
  validateAliasNotReserved(alias)
  const number = parseModelVersion(version)
  await ctx.adapter.transaction(async (trx) => {
    const { model } = await findModelVersion(trx, name, version)
    await trx
      .insertInto('registered_model_aliases')
      .values({ registered_model_id: model.id, alias, version: number })
      .onConflict((oc) =>
        oc.columns(['registered_model_id', 'alias']).doUpdateSet({ version: number }),
      )
      .execute()
  })
}

/** Remove an alias; a missing alias is not an error, a missing model is 404. */
export async function deleteRegisteredModelAlias(
  ctx: StoreContext,
  name: string,
  alias: string,
): Promise<void> {
  validateAlias(alias)
  const model = await findRegisteredModel(ctx.db, name)
  await ctx.db
    .deleteFrom('registered_model_aliases')
    .where('registered_model_id', '=', model.id)
    .where('alias', '=', alias)
    .execute()
}

/** The version behind an alias (`latest`, any case: the newest live version). */
export async function getModelVersionByAlias(
  ctx: StoreContext,
  name: string,
  alias: string,
): Promise<ModelVersion> {
  validateAlias(alias)
  const model = await findRegisteredModel(ctx.db, name)
  const version = await resolveAliasVersion(ctx.db, model, alias)
  const { row } = await findModelVersion(ctx.db, name, String(version))
  return (
    await loadModelVersions(ctx.db, [row], new Map([[model.id, model.name]]))
  )[0] as ModelVersion
}
