import type { Kysely } from 'kysely'
import {
  TAG_IS_PROMPT,
  invalidParam,
  parseModelVersionSource,
  type MlflowError,
} from '@logbook/core'
import type { Database } from '../schema.ts'
import { findModelVersion, findRegisteredModel } from './registry-loader.ts'
import { resolveAliasVersion, resolveLatestVersion } from './registry-aliases.ts'

/** Where a new model version's files live, and the run and logged model it came from. */
export interface ResolvedSource {
  source: string
  storageLocation: string | null
  runId?: string
  modelId?: string
}

/** Schemeless sources MLflow's prompt registry uses; prompts have no files. */
const PROMPT_SOURCES = new Set(['prompt-template', 'dummy-source'])

function mismatch(source: string, what: 'run_id' | 'model_id'): MlflowError {
  return invalidParam(
    `Invalid model version source: '${source}'. The ${what} request parameter must identify the resource that contains the source.`,
  )
}

async function findLoggedModel(db: Kysely<Database>, modelId: string, source: string) {
  const row = await db
    .selectFrom('logged_models')
    .select(['artifact_location', 'source_run_id'])
    .where('model_id', '=', modelId)
    .where('lifecycle_stage', '=', 'active')
    .executeTakeFirst()
  if (!row) throw mismatch(source, 'model_id')
  return row
}

async function findRunArtifactUri(
  db: Kysely<Database>,
  runId: string,
  source: string,
): Promise<string> {
  const row = await db
    .selectFrom('runs')
    .select('artifact_uri')
    .where('run_uuid', '=', runId)
    .executeTakeFirst()
  if (!row) throw mismatch(source, 'run_id')
  return row.artifact_uri
}

async function resolveRegistrySource(
  db: Kysely<Database>,
  source: string,
  ref: { name: string; version?: number; stage?: string; alias?: string },
  input: { runId?: string; modelId?: string },
): Promise<ResolvedSource> {
  const model = await findRegisteredModel(db, ref.name)
  const prompt = await db
    .selectFrom('registered_model_tags')
    .select('value')
    .where('registered_model_id', '=', model.id)
    .where('key', '=', TAG_IS_PROMPT)
    .executeTakeFirst()
  if (prompt?.value.toLowerCase() === 'true') {
    throw invalidParam(
      `Invalid model version source: '${source}'. Prompt versions cannot be used as model version sources.`,
    )
  }
  let version = ref.version
  if (ref.alias !== undefined) version = await resolveAliasVersion(db, model, ref.alias)
  else if (version === undefined) version = await resolveLatestVersion(db, model, ref.stage)
  const { row } = await findModelVersion(db, ref.name, String(version))
  if (
    (input.runId !== undefined && input.runId !== (row.run_id ?? '')) ||
    (input.modelId !== undefined && input.modelId !== (row.model_id ?? ''))
  ) {
    throw invalidParam(
      `Invalid model version source: '${source}'. The run_id and model_id request parameters must match the referenced model version.`,
    )
  }
  return {
    source: `models:/${ref.name}/${row.version}`,
    storageLocation: row.storage_location ?? row.source,
    runId: input.runId ?? row.run_id ?? undefined,
    modelId: input.modelId ?? row.model_id ?? undefined,
  }
}

/**
 * Validates a model version source and resolves where its files are: `models:/<model_id>` to the
 * logged model's artifact URI, `models:/<name>/<version>` through that version, `runs:/<id>/<path>`
 * under the run's artifact URI; `mlflow-artifacts:` URIs are stored as given. Anything else is 400.
 */
export async function resolveModelVersionSource(
  db: Kysely<Database>,
  input: { source: string; runId?: string; modelId?: string; isPrompt: boolean },
): Promise<ResolvedSource> {
  const { source, runId, modelId } = input
  if (input.isPrompt && PROMPT_SOURCES.has(source))
    return { source, storageLocation: null, runId, modelId }
  const parsed = parseModelVersionSource(source)
  switch (parsed.kind) {
    case 'logged-model': {
      if (modelId !== undefined && modelId !== parsed.modelId) throw mismatch(source, 'model_id')
      const model = await findLoggedModel(db, parsed.modelId, source)
      return {
        source,
        storageLocation: model.artifact_location,
        runId: runId ?? model.source_run_id ?? undefined,
        modelId: parsed.modelId,
      }
    }
    case 'model-version':
      return resolveRegistrySource(db, source, parsed, { runId, modelId })
    case 'run': {
      if (modelId !== undefined) throw mismatch(source, 'model_id')
      if (runId !== undefined && runId !== parsed.runId) throw mismatch(source, 'run_id')
      const root = (await findRunArtifactUri(db, parsed.runId, source)).replace(/\/+$/, '')
      const storageLocation =
        parsed.path === '' ? root : `${root}/${parsed.path.replace(/^\/+/, '')}`
      return { source, storageLocation, runId: parsed.runId }
    }
    case 'artifacts':
      if (runId !== undefined) await findRunArtifactUri(db, runId, source)
      if (modelId !== undefined) await findLoggedModel(db, modelId, source)
      return { source, storageLocation: source, runId, modelId }
  }
}
