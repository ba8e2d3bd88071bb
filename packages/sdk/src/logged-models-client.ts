import type { KeyValue, LoggedModel, LoggedModelStatus } from '@logbook/core'
import type { Transport } from './http.ts'
import { queryString } from './http.ts'
import { decodeMetrics } from './responses.ts'

const API = '/api/2.0/mlflow/logged-models'

/** One order term of a logged-model search. */
export interface LoggedModelOrder {
  fieldName: string
  ascending?: boolean
  datasetName?: string
  datasetDigest?: string
}

/** A file or folder of a logged model's artifacts (paths relative to the model's root). */
export interface LoggedModelArtifact {
  path: string
  is_dir: boolean
  file_size?: number
}

function decodeModel(model: LoggedModel): LoggedModel {
  const data: Partial<LoggedModel['data']> = model.data ?? {}
  return {
    info: { ...model.info, tags: model.info.tags ?? [] },
    data: { params: data.params ?? [], metrics: decodeMetrics(data.metrics) },
  }
}

const enc = encodeURIComponent

/** MLflow 3 logged models (`/logged-models/...`): create, read, search, finalize, tags, params. */
export class LoggedModelsApi {
  constructor(private readonly transport: Transport) {}

  /** Create a logged model (status PENDING) in an experiment, optionally linked to a run. */
  async create(opts: {
    experimentId: string
    name?: string
    modelType?: string
    sourceRunId?: string
    params?: KeyValue[]
    tags?: KeyValue[]
  }): Promise<LoggedModel> {
    const body = {
      experiment_id: opts.experimentId,
      name: opts.name,
      model_type: opts.modelType,
      source_run_id: opts.sourceRunId,
      params: opts.params,
      tags: opts.tags,
    }
    const res = await this.transport.json<{ model: LoggedModel }>('POST', API, { json: body })
    return decodeModel(res.model)
  }

  /** Fetch one logged model (deleted ones only with `allowDeleted`). */
  async get(modelId: string, opts: { allowDeleted?: boolean } = {}): Promise<LoggedModel> {
    const query = queryString({ allow_deleted: opts.allowDeleted })
    const res = await this.transport.json<{ model: LoggedModel }>(
      'GET',
      `${API}/${enc(modelId)}${query}`,
    )
    return decodeModel(res.model)
  }

  /** One page of logged models of some experiments. */
  async search(opts: {
    experimentIds: string[]
    filter?: string
    datasets?: { datasetName: string; datasetDigest?: string }[]
    orderBy?: LoggedModelOrder[]
    maxResults?: number
    pageToken?: string
  }): Promise<{ models: LoggedModel[]; nextPageToken?: string }> {
    const body = {
      experiment_ids: opts.experimentIds,
      filter: opts.filter,
      datasets: opts.datasets?.map((d) => ({
        dataset_name: d.datasetName,
        dataset_digest: d.datasetDigest,
      })),
      order_by: opts.orderBy?.map((o) => ({
        field_name: o.fieldName,
        ascending: o.ascending,
        dataset_name: o.datasetName,
        dataset_digest: o.datasetDigest,
      })),
      max_results: opts.maxResults,
      page_token: opts.pageToken,
    }
    const res = await this.transport.json<{ models?: LoggedModel[]; next_page_token?: string }>(
      'POST',
      `${API}/search`,
      { json: body },
    )
    return {
      models: (res.models ?? []).map(decodeModel),
      nextPageToken: res.next_page_token || undefined,
    }
  }

  /** Mark a logged model READY or UPLOAD_FAILED. */
  async finalize(
    modelId: string,
    status: Exclude<LoggedModelStatus, 'LOGGED_MODEL_STATUS_UNSPECIFIED'>,
  ): Promise<LoggedModel> {
    const res = await this.transport.json<{ model: LoggedModel }>(
      'PATCH',
      `${API}/${enc(modelId)}`,
      { json: { model_id: modelId, status } },
    )
    return decodeModel(res.model)
  }

  /** Soft-delete a logged model. */
  async delete(modelId: string): Promise<void> {
    await this.transport.request('DELETE', `${API}/${enc(modelId)}`, {
      json: { model_id: modelId },
    })
  }

  /** Set (upsert) tags of a logged model. */
  async setTags(modelId: string, tags: KeyValue[]): Promise<void> {
    await this.transport.request('PATCH', `${API}/${enc(modelId)}/tags`, {
      json: { model_id: modelId, tags },
    })
  }

  /** Delete one tag of a logged model (the key travels raw in the path, slashes included). */
  async deleteTag(modelId: string, key: string): Promise<void> {
    const path = key.split('/').map(enc).join('/')
    await this.transport.request('DELETE', `${API}/${enc(modelId)}/tags/${path}`, {
      json: { model_id: modelId, tag_key: key },
    })
  }

  /** Log params of a logged model. */
  async logParams(modelId: string, params: KeyValue[]): Promise<void> {
    await this.transport.request('POST', `${API}/${enc(modelId)}/params`, {
      json: { model_id: modelId, params },
    })
  }

  /** List a folder of a logged model's artifacts (the root by default). */
  async listArtifacts(modelId: string, directory?: string): Promise<LoggedModelArtifact[]> {
    const query = queryString({ artifact_directory_path: directory })
    const res = await this.transport.json<{ files?: LoggedModelArtifact[] }>(
      'GET',
      `${API}/${enc(modelId)}/artifacts/directories${query}`,
    )
    return res.files ?? []
  }

  /** Download one file of a logged model's artifacts. */
  async downloadArtifact(modelId: string, path: string): Promise<Uint8Array> {
    const query = queryString({ artifact_file_path: path })
    const res = await this.transport.request(
      'GET',
      `${API}/${enc(modelId)}/artifacts/files${query}`,
    )
    return new Uint8Array(await res.arrayBuffer())
  }
}
