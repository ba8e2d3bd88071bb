import type { KeyValue, ModelVersion, ModelVersionStage, RegisteredModel } from '@logbook/core'
import type { Transport } from './http.ts'
import { queryString } from './http.ts'

const API = '/api/2.0/mlflow'

/** Options of a registry search: filter, order and paging as MLflow names them. */
export interface RegistrySearch {
  filter?: string
  maxResults?: number
  orderBy?: string[]
  pageToken?: string
}

function decodeVersion(v: ModelVersion): ModelVersion {
  return { ...v, tags: v.tags ?? [], aliases: v.aliases ?? [] }
}

function decodeModel(m: RegisteredModel): RegisteredModel {
  return {
    ...m,
    tags: m.tags ?? [],
    aliases: m.aliases ?? [],
    latest_versions: (m.latest_versions ?? []).map(decodeVersion),
  }
}

/** MLflow's model registry: registered models, versions, tags, aliases and stages. */
export class RegistryApi {
  constructor(private readonly transport: Transport) {}

  private call<T>(method: string, route: string, body: Record<string, unknown>): Promise<T> {
    if (method === 'GET')
      return this.transport.json<T>('GET', `${API}/${route}${queryString(body)}`)
    return this.transport.json<T>(method, `${API}/${route}`, { json: body })
  }

  /** Create a registered model. */
  async createModel(
    name: string,
    opts: { description?: string; tags?: KeyValue[] } = {},
  ): Promise<RegisteredModel> {
    const res = await this.call<{ registered_model: RegisteredModel }>(
      'POST',
      'registered-models/create',
      { name, description: opts.description, tags: opts.tags },
    )
    return decodeModel(res.registered_model)
  }

  /** Fetch a registered model with its latest version per stage. */
  async getModel(name: string): Promise<RegisteredModel> {
    const res = await this.call<{ registered_model: RegisteredModel }>(
      'GET',
      'registered-models/get',
      { name },
    )
    return decodeModel(res.registered_model)
  }

  /** Rename a registered model (its versions follow). */
  async renameModel(name: string, newName: string): Promise<RegisteredModel> {
    const res = await this.call<{ registered_model: RegisteredModel }>(
      'POST',
      'registered-models/rename',
      { name, new_name: newName },
    )
    return decodeModel(res.registered_model)
  }

  /** Change a registered model's description. */
  async updateModel(name: string, description: string): Promise<RegisteredModel> {
    const res = await this.call<{ registered_model: RegisteredModel }>(
      'PATCH',
      'registered-models/update',
      { name, description },
    )
    return decodeModel(res.registered_model)
  }

  /** Delete a registered model and its versions. */
  async deleteModel(name: string): Promise<void> {
    await this.call('DELETE', 'registered-models/delete', { name })
  }

  /** One page of registered models. */
  async searchModels(
    opts: RegistrySearch = {},
  ): Promise<{ models: RegisteredModel[]; nextPageToken?: string }> {
    const res = await this.call<{
      registered_models?: RegisteredModel[]
      next_page_token?: string
    }>('GET', 'registered-models/search', {
      filter: opts.filter,
      max_results: opts.maxResults,
      order_by: opts.orderBy,
      page_token: opts.pageToken,
    })
    return {
      models: (res.registered_models ?? []).map(decodeModel),
      nextPageToken: res.next_page_token || undefined,
    }
  }

  /** The latest version of each stage (or of the stages named). */
  async getLatestVersions(name: string, stages?: ModelVersionStage[]): Promise<ModelVersion[]> {
    const res = await this.call<{ model_versions?: ModelVersion[] }>(
      'POST',
      'registered-models/get-latest-versions',
      { name, stages },
    )
    return (res.model_versions ?? []).map(decodeVersion)
  }

  /** Set (upsert) a registered-model tag. */
  async setModelTag(name: string, key: string, value: string): Promise<void> {
    await this.call('POST', 'registered-models/set-tag', { name, key, value })
  }

  /** Delete a registered-model tag. */
  async deleteModelTag(name: string, key: string): Promise<void> {
    await this.call('DELETE', 'registered-models/delete-tag', { name, key })
  }

  /** Point an alias (e.g. "champion") at a version. */
  async setAlias(name: string, alias: string, version: string | number): Promise<void> {
    await this.call('POST', 'registered-models/alias', { name, alias, version: String(version) })
  }

  /** Remove an alias. */
  async deleteAlias(name: string, alias: string): Promise<void> {
    await this.call('DELETE', 'registered-models/alias', { name, alias })
  }

  /** The version an alias points at. */
  async getVersionByAlias(name: string, alias: string): Promise<ModelVersion> {
    const res = await this.call<{ model_version: ModelVersion }>('GET', 'registered-models/alias', {
      name,
      alias,
    })
    return decodeVersion(res.model_version)
  }

  /** Register a new version from `runs:/`, `models:/` or `mlflow-artifacts:` sources. */
  async createVersion(opts: {
    name: string
    source: string
    runId?: string
    modelId?: string
    description?: string
    tags?: KeyValue[]
    runLink?: string
  }): Promise<ModelVersion> {
    const res = await this.call<{ model_version: ModelVersion }>('POST', 'model-versions/create', {
      name: opts.name,
      source: opts.source,
      run_id: opts.runId,
      model_id: opts.modelId,
      description: opts.description,
      tags: opts.tags,
      run_link: opts.runLink,
    })
    return decodeVersion(res.model_version)
  }

  /** Fetch one version. */
  async getVersion(name: string, version: string | number): Promise<ModelVersion> {
    const res = await this.call<{ model_version: ModelVersion }>('GET', 'model-versions/get', {
      name,
      version: String(version),
    })
    return decodeVersion(res.model_version)
  }

  /** Change a version's description. */
  async updateVersion(
    name: string,
    version: string | number,
    description: string,
  ): Promise<ModelVersion> {
    const res = await this.call<{ model_version: ModelVersion }>('PATCH', 'model-versions/update', {
      name,
      version: String(version),
      description,
    })
    return decodeVersion(res.model_version)
  }

  /** Delete one version. */
  async deleteVersion(name: string, version: string | number): Promise<void> {
    await this.call('DELETE', 'model-versions/delete', { name, version: String(version) })
  }

  /** Move a version to a stage, optionally archiving the versions already there. */
  async transitionStage(
    name: string,
    version: string | number,
    stage: ModelVersionStage,
    opts: { archiveExistingVersions?: boolean } = {},
  ): Promise<ModelVersion> {
    const res = await this.call<{ model_version: ModelVersion }>(
      'POST',
      'model-versions/transition-stage',
      {
        name,
        version: String(version),
        stage,
        archive_existing_versions: opts.archiveExistingVersions ?? false,
      },
    )
    return decodeVersion(res.model_version)
  }

  /** One page of versions (e.g. `filter: "name='clf'"`). */
  async searchVersions(
    opts: RegistrySearch = {},
  ): Promise<{ versions: ModelVersion[]; nextPageToken?: string }> {
    const res = await this.call<{ model_versions?: ModelVersion[]; next_page_token?: string }>(
      'GET',
      'model-versions/search',
      {
        filter: opts.filter,
        max_results: opts.maxResults,
        order_by: opts.orderBy,
        page_token: opts.pageToken,
      },
    )
    return {
      versions: (res.model_versions ?? []).map(decodeVersion),
      nextPageToken: res.next_page_token || undefined,
    }
  }

  /** Where a version's files live (an `mlflow-artifacts:` URI). */
  async getDownloadUri(name: string, version: string | number): Promise<string> {
    const res = await this.call<{ artifact_uri: string }>(
      'GET',
      'model-versions/get-download-uri',
      {
        name,
        version: String(version),
      },
    )
    return res.artifact_uri
  }

  /** Download one file of a version's artifacts. */
  async downloadVersionArtifact(
    name: string,
    version: string | number,
    path: string,
  ): Promise<Uint8Array> {
    const query = queryString({ name, version: String(version), path })
    const res = await this.transport.request('GET', `/model-versions/get-artifact${query}`)
    return new Uint8Array(await res.arrayBuffer())
  }

  /** Set (upsert) a version tag. */
  async setVersionTag(
    name: string,
    version: string | number,
    key: string,
    value: string,
  ): Promise<void> {
    await this.call('POST', 'model-versions/set-tag', {
      name,
      version: String(version),
      key,
      value,
    })
  }

  /** Delete a version tag. */
  async deleteVersionTag(name: string, version: string | number, key: string): Promise<void> {
    await this.call('DELETE', 'model-versions/delete-tag', { name, version: String(version), key })
  }
}
