import type { Kysely, Selectable } from 'kysely'
import {
  notFound,
  parseModelVersion,
  validateRegisteredModelName,
  type KeyValue,
  type ModelVersion,
  type ModelVersionStage,
  type ModelVersionStatus,
  type RegisteredModel,
} from '@logbook/core'
import type { Database } from '../schema.ts'
import { chunks } from './context.ts'

export type RegisteredModelRow = Selectable<Database['registered_models']>
export type ModelVersionRow = Selectable<Database['model_versions']>

/** Stage of soft-deleted versions; such rows are invisible to every read. */
export const STAGE_DELETED = 'Deleted_Internal'

/** Look a registered model up by name; 404 when absent. */
export async function findRegisteredModel(
  db: Kysely<Database>,
  name: string,
): Promise<RegisteredModelRow> {
  validateRegisteredModelName(name)
  const row = await db
    .selectFrom('registered_models')
    .selectAll()
    .where('name', '=', name)
    .executeTakeFirst()
  if (!row) throw notFound(`Registered Model with name=${name} not found`)
  return row
}

/** Look a live (not deleted) model version up; 404 when the model or the version is absent. */
export async function findModelVersion(
  db: Kysely<Database>,
  name: string,
  version: string,
): Promise<{ model: RegisteredModelRow; row: ModelVersionRow }> {
  const number = parseModelVersion(version)
  const model = await findRegisteredModel(db, name)
  const row = await db
    .selectFrom('model_versions')
    .selectAll()
    .where('registered_model_id', '=', model.id)
    .where('version', '=', number)
    .where('current_stage', '<>', STAGE_DELETED)
    .executeTakeFirst()
  if (!row) throw notFound(`Model Version (name=${name}, version=${version}) not found`)
  return { model, row }
}

function toModelVersion(
  row: ModelVersionRow,
  name: string,
  tags: KeyValue[],
  aliases: string[],
): ModelVersion {
  return {
    name,
    version: String(row.version),
    creation_timestamp: row.creation_time,
    last_updated_timestamp: row.last_updated_time,
    ...(row.user_id ? { user_id: row.user_id } : {}),
    current_stage: row.current_stage as ModelVersionStage,
    ...(row.description ? { description: row.description } : {}),
    source: row.source,
    ...(row.run_id ? { run_id: row.run_id } : {}),
    ...(row.run_link ? { run_link: row.run_link } : {}),
    status: row.status as ModelVersionStatus,
    ...(row.status_message ? { status_message: row.status_message } : {}),
    tags,
    aliases,
    ...(row.model_id ? { model_id: row.model_id } : {}),
  }
}

const pairKey = (modelId: number, version: number) => `${modelId}:${version}`

/** Hydrate version rows with their model name, tags and aliases (a few queries per 500 models). */
export async function loadModelVersions(
  db: Kysely<Database>,
  rows: ModelVersionRow[],
  names: Map<number, string>,
): Promise<ModelVersion[]> {
  const tags = new Map<string, KeyValue[]>()
  const aliases = new Map<string, string[]>()
  const modelIds = [...new Set(rows.map((r) => r.registered_model_id))]
  for (const part of chunks(modelIds)) {
    const [t, a] = await Promise.all([
      db
        .selectFrom('model_version_tags')
        .select(['registered_model_id', 'version', 'key', 'value'])
        .where('registered_model_id', 'in', part)
        .orderBy('key')
        .execute(),
      db
        .selectFrom('registered_model_aliases')
        .select(['registered_model_id', 'version', 'alias'])
        .where('registered_model_id', 'in', part)
        .orderBy('alias')
        .execute(),
    ])
    for (const r of t) {
      const k = pairKey(r.registered_model_id, r.version)
      tags.set(k, [...(tags.get(k) ?? []), { key: r.key, value: r.value }])
    }
    for (const r of a) {
      const k = pairKey(r.registered_model_id, r.version)
      aliases.set(k, [...(aliases.get(k) ?? []), r.alias])
    }
  }
  return rows.map((r) => {
    const k = pairKey(r.registered_model_id, r.version)
    return toModelVersion(
      r,
      names.get(r.registered_model_id) ?? '',
      tags.get(k) ?? [],
      aliases.get(k) ?? [],
    )
  })
}

/** Latest live version per stage of each model, optionally only in `stages`. */
export async function latestVersionRows(
  db: Kysely<Database>,
  modelIds: number[],
  stages?: readonly ModelVersionStage[],
): Promise<ModelVersionRow[]> {
  const out: ModelVersionRow[] = []
  for (const part of chunks(modelIds)) {
    let query = db
      .selectFrom('model_versions as mv')
      .selectAll('mv')
      .where('mv.registered_model_id', 'in', part)
      .where('mv.current_stage', '<>', STAGE_DELETED)
      .where(({ eb, selectFrom }) =>
        eb(
          'mv.version',
          '=',
          selectFrom('model_versions as v2')
            .select(({ fn }) => fn.max('v2.version').as('v'))
            .whereRef('v2.registered_model_id', '=', 'mv.registered_model_id')
            .whereRef('v2.current_stage', '=', 'mv.current_stage'),
        ),
      )
    if (stages !== undefined) query = query.where('mv.current_stage', 'in', [...stages])
    out.push(...(await query.orderBy('mv.registered_model_id').orderBy('mv.version').execute()))
  }
  return out
}

/** Hydrate registered-model rows with tags, aliases and latest versions per stage. */
export async function loadRegisteredModels(
  db: Kysely<Database>,
  rows: RegisteredModelRow[],
): Promise<RegisteredModel[]> {
  if (rows.length === 0) return []
  const ids = rows.map((r) => r.id)
  const names = new Map(rows.map((r) => [r.id, r.name]))
  const tags = new Map<number, KeyValue[]>()
  const aliases = new Map<number, { alias: string; version: string }[]>()
  for (const part of chunks(ids)) {
    const [t, a] = await Promise.all([
      db
        .selectFrom('registered_model_tags')
        .select(['registered_model_id', 'key', 'value'])
        .where('registered_model_id', 'in', part)
        .orderBy('key')
        .execute(),
      db
        .selectFrom('registered_model_aliases')
        .select(['registered_model_id', 'alias', 'version'])
        .where('registered_model_id', 'in', part)
        .orderBy('alias')
        .execute(),
    ])
    for (const r of t)
      tags.set(r.registered_model_id, [
        ...(tags.get(r.registered_model_id) ?? []),
        { key: r.key, value: r.value },
      ])
    for (const r of a) {
      const list = aliases.get(r.registered_model_id) ?? []
      list.push({ alias: r.alias, version: String(r.version) })
      aliases.set(r.registered_model_id, list)
    }
  }
  const latest = await loadModelVersions(db, await latestVersionRows(db, ids), names)
  const latestByModel = new Map<string, ModelVersion[]>()
  for (const v of latest) latestByModel.set(v.name, [...(latestByModel.get(v.name) ?? []), v])
  return rows.map((r) => ({
    name: r.name,
    creation_timestamp: r.creation_time,
    last_updated_timestamp: r.last_updated_time,
    ...(r.description ? { description: r.description } : {}),
    latest_versions: latestByModel.get(r.name) ?? [],
    tags: tags.get(r.id) ?? [],
    aliases: aliases.get(r.id) ?? [],
  }))
}
