/** The model-registry routes a transfer needs, over the SDK's transport (the SDK has no registry API yet). */
import type { KeyValue } from '@logbook/core'
import type { LogbookClient } from '@logbook/sdk'
import type { ModelRecord, VersionRecord } from './model.ts'

const API = '/api/2.0/mlflow'

/** The SDK client's HTTP transport (auth, retries, MLflow error envelopes). */
export type Transport = LogbookClient['transport']

/** Encode a GET query the way MLflow's client does: repeated keys for lists, undefined omitted. */
export function queryString(params: Record<string, unknown>): string {
  const q = new URLSearchParams()
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null) continue
    for (const v of Array.isArray(value) ? value : [value]) q.append(key, String(v))
  }
  const s = q.toString()
  return s === '' ? '' : `?${s}`
}

interface WireModel {
  name: string
  description?: string
  tags?: KeyValue[]
  aliases?: { alias: string; version: string }[]
}

interface WireVersion {
  version: string
  source?: string
  run_id?: string
  run_link?: string
  description?: string
  current_stage?: string
  status?: string
  user_id?: string
  tags?: KeyValue[]
}

/** Every registered model, paged. */
export async function* listModels(transport: Transport): AsyncIterable<ModelRecord> {
  let pageToken: string | undefined
  do {
    const query = queryString({ max_results: 1000, page_token: pageToken })
    const res = await transport.json<{ registered_models?: WireModel[]; next_page_token?: string }>(
      'GET',
      `${API}/registered-models/search${query}`,
    )
    for (const m of res.registered_models ?? []) {
      yield {
        name: m.name,
        description: m.description || undefined,
        tags: m.tags ?? [],
        aliases: (m.aliases ?? []).map((a) => ({ alias: a.alias, version: String(a.version) })),
      }
    }
    pageToken = res.next_page_token || undefined
  } while (pageToken)
}

/** A filter string literal in MLflow's grammar. */
function quote(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`
}

/** Every version of one model, oldest first. */
export async function listVersions(transport: Transport, name: string): Promise<VersionRecord[]> {
  const versions: VersionRecord[] = []
  let pageToken: string | undefined
  do {
    const query = queryString({
      filter: `name = ${quote(name)}`,
      max_results: 10_000,
      page_token: pageToken,
    })
    const res = await transport.json<{ model_versions?: WireVersion[]; next_page_token?: string }>(
      'GET',
      `${API}/model-versions/search${query}`,
    )
    for (const v of res.model_versions ?? []) {
      versions.push({
        version: String(v.version),
        source: v.source ?? '',
        runId: v.run_id || undefined,
        runLink: v.run_link || undefined,
        description: v.description || undefined,
        currentStage: v.current_stage ?? 'None',
        status: v.status,
        userId: v.user_id || undefined,
        tags: v.tags ?? [],
      })
    }
    pageToken = res.next_page_token || undefined
  } while (pageToken)
  return versions.sort((a, b) => Number(a.version) - Number(b.version))
}

/** True when a registered model of this name exists. */
export async function modelExists(transport: Transport, name: string): Promise<boolean> {
  try {
    await transport.json('GET', `${API}/registered-models/get${queryString({ name })}`)
    return true
  } catch (e) {
    if ((e as { code?: unknown }).code === 'RESOURCE_DOES_NOT_EXIST') return false
    throw e
  }
}

/** Create a registered model; false when the name is taken already. */
export async function createModel(transport: Transport, model: ModelRecord): Promise<boolean> {
  try {
    await transport.json('POST', `${API}/registered-models/create`, {
      json: { name: model.name, description: model.description, tags: model.tags },
    })
    return true
  } catch (e) {
    if ((e as { code?: unknown }).code === 'RESOURCE_ALREADY_EXISTS') return false
    throw e
  }
}

/** Create a version (with its tags, description, stage) and return the target's version number. */
export async function createVersion(
  transport: Transport,
  name: string,
  v: VersionRecord,
): Promise<string> {
  const res = await transport.json<{ model_version: { version: string } }>(
    'POST',
    `${API}/model-versions/create`,
    {
      json: {
        name,
        source: v.source,
        run_id: v.runId,
        run_link: v.runLink,
        description: v.description,
        tags: v.tags,
      },
    },
  )
  const version = String(res.model_version.version)
  if (v.currentStage && v.currentStage !== 'None') {
    await transport.json('POST', `${API}/model-versions/transition-stage`, {
      json: { name, version, stage: v.currentStage, archive_existing_versions: false },
    })
  }
  return version
}

/** Point an alias at a version. */
export async function setAlias(
  transport: Transport,
  name: string,
  alias: string,
  version: string,
): Promise<void> {
  await transport.json('POST', `${API}/registered-models/alias`, { json: { name, alias, version } })
}
