import type {
  DatasetInput,
  Experiment,
  KeyValue,
  Metric,
  Run,
  RunInfo,
  RunStatus,
  ViewType,
} from '@logbook/core'
import { LIMITS, METRIC_COLUMNS_TYPE, MlflowError, encodeMetricArray, toWireJson } from '@logbook/core'
import { Transport, queryString } from './http.ts'
import { LoggedModelsApi } from './logged-models-client.ts'
import { MetricBatch } from './metric-batch.ts'
import { RegistryApi } from './registry-client.ts'
import { decodeMetrics, decodeRun } from './responses.ts'
import type { RetryPolicy, TransportOptions } from './http.ts'

/** Options of the low-level client: server address, credentials, a custom fetch and retry policy. */
export type LogbookClientOptions = TransportOptions

/** A file or folder in the artifact proxy's listing (basenames only). */
export interface ArtifactFile {
  path: string
  is_dir: boolean
  file_size?: number
}

/** Metrics, params and tags of one log-batch request (MLflow limits: 1000/100/100, 1000 total). */
export interface LogBatchInput {
  metrics?: readonly Metric[] | MetricBatch
  params?: KeyValue[]
  tags?: KeyValue[]
}

const API = '/api/2.0/mlflow'
const LOGBOOK_API = '/api/2.0/logbook'
const ARTIFACTS = '/api/2.0/mlflow-artifacts/artifacts'

/** Encode an artifact path segment by segment so slashes stay path separators. */
function artifactUrl(path: string): string {
  return `${ARTIFACTS}/${path.split('/').map(encodeURIComponent).join('/')}`
}

/** A multipart-upload route (`create`, `complete`, `abort`) for the proxy folder `dir`. */
function mpuUrl(action: string, dir: string): string {
  const tail = dir === '' ? '' : `/${dir.split('/').map(encodeURIComponent).join('/')}`
  return `/api/2.0/mlflow-artifacts/mpu/${action}${tail}`
}

/** Typed, fetch-only client for Logbook's (MLflow-compatible) tracking and artifact routes. */
export class LogbookClient {
  readonly transport: Transport
  /** MLflow 3 logged models. */
  readonly models: LoggedModelsApi
  /** The model registry. */
  readonly registry: RegistryApi
  /** Does the server take binary metric batches? Unknown until the first one is sent. */
  private binaryMetrics: boolean | undefined

  constructor(options: LogbookClientOptions) {
    this.transport = new Transport(options)
    this.models = new LoggedModelsApi(this.transport)
    this.registry = new RegistryApi(this.transport)
  }

  private post<T>(route: string, body: unknown, retry?: Partial<RetryPolicy>): Promise<T> {
    return this.transport.json<T>('POST', `${API}/${route}`, { json: body }, retry)
  }

  private get<T>(route: string, query: Record<string, unknown>): Promise<T> {
    return this.transport.json<T>('GET', `${API}/${route}${queryString(query)}`)
  }

  /** Create an experiment and return its id. */
  async createExperiment(
    name: string,
    opts: { artifactLocation?: string; tags?: KeyValue[] } = {},
  ): Promise<string> {
    const body = { name, artifact_location: opts.artifactLocation, tags: opts.tags }
    return (await this.post<{ experiment_id: string }>('experiments/create', body)).experiment_id
  }

  /** Fetch an experiment by id (deleted ones too). */
  async getExperiment(experimentId: string): Promise<Experiment> {
    return (
      await this.get<{ experiment: Experiment }>('experiments/get', { experiment_id: experimentId })
    ).experiment
  }

  /** Fetch an experiment by name; rejects with RESOURCE_DOES_NOT_EXIST when absent. */
  async getExperimentByName(name: string): Promise<Experiment> {
    const res = await this.get<{ experiment: Experiment }>('experiments/get-by-name', {
      experiment_name: name,
    })
    return res.experiment
  }

  /** One page of experiments matching a filter. */
  async searchExperiments(
    opts: {
      filter?: string
      maxResults?: number
      orderBy?: string[]
      viewType?: ViewType
      pageToken?: string
    } = {},
  ): Promise<{ experiments: Experiment[]; nextPageToken?: string }> {
    const res = await this.post<{ experiments?: Experiment[]; next_page_token?: string }>(
      'experiments/search',
      {
        filter: opts.filter,
        max_results: opts.maxResults ?? 1000,
        order_by: opts.orderBy,
        view_type: opts.viewType,
        page_token: opts.pageToken,
      },
    )
    return { experiments: res.experiments ?? [], nextPageToken: res.next_page_token }
  }

  /** Rename an experiment. */
  async updateExperiment(experimentId: string, newName: string): Promise<void> {
    await this.post('experiments/update', { experiment_id: experimentId, new_name: newName })
  }

  /** Soft-delete an experiment and its runs. */
  async deleteExperiment(experimentId: string): Promise<void> {
    await this.post('experiments/delete', { experiment_id: experimentId })
  }

  /** Restore a deleted experiment and its runs. */
  async restoreExperiment(experimentId: string): Promise<void> {
    await this.post('experiments/restore', { experiment_id: experimentId })
  }

  /** Set (upsert) an experiment tag. */
  async setExperimentTag(experimentId: string, key: string, value: string): Promise<void> {
    await this.post('experiments/set-experiment-tag', { experiment_id: experimentId, key, value })
  }

  /** Delete an experiment tag. */
  async deleteExperimentTag(experimentId: string, key: string): Promise<void> {
    await this.post('experiments/delete-experiment-tag', { experiment_id: experimentId, key })
  }

  /** Create a run; `startTime` defaults to now. */
  async createRun(
    opts: {
      experimentId?: string
      runName?: string
      userId?: string
      startTime?: number
      tags?: KeyValue[]
    } = {},
  ): Promise<Run> {
    const res = await this.post<{ run: Run }>('runs/create', {
      experiment_id: opts.experimentId,
      run_name: opts.runName,
      user_id: opts.userId,
      start_time: opts.startTime ?? Date.now(),
      tags: opts.tags,
    })
    return decodeRun(res.run)
  }

  /** Fetch a run with its latest metrics, params, tags and inputs. */
  async getRun(runId: string): Promise<Run> {
    return decodeRun((await this.get<{ run: Run }>('runs/get', { run_id: runId })).run)
  }

  /** Update a run's status, end time or name. */
  async updateRun(
    runId: string,
    opts: { status?: RunStatus; endTime?: number; runName?: string },
  ): Promise<RunInfo> {
    const body = {
      run_id: runId,
      run_uuid: runId,
      status: opts.status,
      end_time: opts.endTime,
      run_name: opts.runName,
    }
    return (await this.post<{ run_info: RunInfo }>('runs/update', body)).run_info
  }

  /** Soft-delete a run. */
  async deleteRun(runId: string): Promise<void> {
    await this.post('runs/delete', { run_id: runId })
  }

  /** Restore a deleted run. */
  async restoreRun(runId: string): Promise<void> {
    await this.post('runs/restore', { run_id: runId })
  }

  /**
   * Log a batch of metric points of any size. Logbook's server takes them in one binary request
   * (`runs/log-metrics`: no float64 parsing from text, up to 100,000 points); a server without
   * that route (MLflow's own) answers 404 once, and from then on this client sends MLflow's JSON
   * log-batch in chunks of 1,000.
   */
  async logMetricBatch(runId: string, batch: MetricBatch, retry?: Partial<RetryPolicy>): Promise<void> {
    if (this.binaryMetrics !== false) {
      try {
        const path = `${LOGBOOK_API}/runs/log-metrics${queryString({ run_id: runId })}`
        await this.transport.request('POST', path, { raw: batch.toBinary(), contentType: METRIC_COLUMNS_TYPE }, retry)
        this.binaryMetrics = true
        return
      } catch (e) {
        const missingRoute = e instanceof MlflowError && e.code === 'ENDPOINT_NOT_FOUND'
        if (!missingRoute || this.binaryMetrics === true) throw e
        this.binaryMetrics = false
      }
    }
    for (let i = 0; i < batch.length; i += LIMITS.batchMetrics) {
      await this.logBatch(runId, { metrics: batch.slice(i, i + LIMITS.batchMetrics) }, retry)
    }
  }

  /** Log metrics, params and tags in one request; `retry` overrides the client's policy. */
  async logBatch(runId: string, batch: LogBatchInput, retry?: Partial<RetryPolicy>): Promise<void> {
    // Metrics are encoded by hand: JSON.stringify with the NaN replacer cost the SDK about half
    // of its CPU in the million-point bench (bench/sdk-million.ts).
    const parts = [`"run_id":${JSON.stringify(runId)}`]
    const m = batch.metrics
    if (m?.length) {
      parts.push(`"metrics":${m instanceof MetricBatch ? m.toJson() : encodeMetricArray(m)}`)
    }
    if (batch.params?.length) parts.push(`"params":${toWireJson(batch.params)}`)
    if (batch.tags?.length) parts.push(`"tags":${toWireJson(batch.tags)}`)
    const raw = `{${parts.join(',')}}`
    await this.transport.request(
      'POST',
      `${API}/runs/log-batch`,
      { raw, contentType: 'application/json' },
      retry,
    )
  }

  /** Log one metric point synchronously (the fluent Run queues instead). */
  async logMetric(
    runId: string,
    key: string,
    value: number,
    opts: { step?: number; timestamp?: number } = {},
  ): Promise<void> {
    const body = {
      run_id: runId,
      run_uuid: runId,
      key,
      value,
      timestamp: opts.timestamp ?? Date.now(),
      step: opts.step ?? 0,
    }
    await this.post('runs/log-metric', body)
  }

  /** Log one param (changing an existing value is rejected by the server). */
  async logParam(runId: string, key: string, value: string): Promise<void> {
    await this.post('runs/log-parameter', { run_id: runId, run_uuid: runId, key, value })
  }

  /** Set (upsert) a run tag. */
  async setTag(runId: string, key: string, value: string): Promise<void> {
    await this.post('runs/set-tag', { run_id: runId, run_uuid: runId, key, value })
  }

  /** Delete a run tag. */
  async deleteTag(runId: string, key: string): Promise<void> {
    await this.post('runs/delete-tag', { run_id: runId, key })
  }

  /** Record datasets as inputs of a run. */
  async logInputs(runId: string, datasets: DatasetInput[]): Promise<void> {
    await this.post('runs/log-inputs', { run_id: runId, datasets })
  }

  /** Record logged models as outputs of a run (optionally at a step). */
  async logOutputs(runId: string, models: { modelId: string; step?: number }[]): Promise<void> {
    const list = models.map((m) => ({ model_id: m.modelId, step: m.step }))
    await this.post('runs/outputs', { run_id: runId, models: list })
  }

  /** One page of runs matching a filter. */
  async searchRuns(
    opts: {
      experimentIds?: string[]
      filter?: string
      maxResults?: number
      orderBy?: string[]
      viewType?: ViewType
      pageToken?: string
    } = {},
  ): Promise<{ runs: Run[]; nextPageToken?: string }> {
    const res = await this.post<{ runs?: Run[]; next_page_token?: string }>('runs/search', {
      experiment_ids: opts.experimentIds,
      filter: opts.filter,
      max_results: opts.maxResults ?? 1000,
      order_by: opts.orderBy,
      run_view_type: opts.viewType,
      page_token: opts.pageToken,
    })
    return { runs: (res.runs ?? []).map(decodeRun), nextPageToken: res.next_page_token }
  }

  /** Every point of a metric, following page tokens (pages of `pageSize`, default 25,000). */
  async getMetricHistory(runId: string, key: string, pageSize = 25_000): Promise<Metric[]> {
    const all: Metric[] = []
    let pageToken: string | undefined
    do {
      const res = await this.get<{ metrics?: Metric[]; next_page_token?: string }>(
        'metrics/get-history',
        {
          run_id: runId,
          run_uuid: runId,
          metric_key: key,
          max_results: pageSize,
          page_token: pageToken,
        },
      )
      for (const m of decodeMetrics(res.metrics)) all.push(m)
      pageToken = res.next_page_token || undefined
    } while (pageToken)
    return all
  }

  /** One page of a metric's history, for readers that stream; no `nextPageToken` on the last. */
  async getMetricHistoryPage(
    runId: string,
    key: string,
    opts: { maxResults?: number; pageToken?: string } = {},
  ): Promise<{ metrics: Metric[]; nextPageToken?: string }> {
    const res = await this.get<{ metrics?: Metric[]; next_page_token?: string }>(
      'metrics/get-history',
      {
        run_id: runId,
        run_uuid: runId,
        metric_key: key,
        max_results: opts.maxResults ?? 25_000,
        page_token: opts.pageToken,
      },
    )
    return { metrics: decodeMetrics(res.metrics), nextPageToken: res.next_page_token || undefined }
  }

  /** Sampled points of one metric across runs (the UI's chart query). */
  async getMetricHistoryBulkInterval(
    runIds: string[],
    key: string,
    opts: { startStep?: number; endStep?: number; maxResults?: number } = {},
  ): Promise<Metric[]> {
    const res = await this.get<{ metrics?: Metric[] }>('metrics/get-history-bulk-interval', {
      run_ids: runIds,
      metric_key: key,
      start_step: opts.startStep,
      end_step: opts.endStep,
      max_results: opts.maxResults,
    })
    return decodeMetrics(res.metrics)
  }

  /** Upload bytes to the artifact proxy at `path` (relative to the artifacts destination). */
  async uploadArtifact(
    path: string,
    body: Blob | Uint8Array | string,
    contentType = 'application/octet-stream',
  ): Promise<void> {
    await this.transport.request('PUT', artifactUrl(path), { raw: body, contentType })
  }

  /** Delete an artifact file or folder through the artifact proxy. */
  async deleteArtifact(path: string): Promise<void> {
    await this.transport.request('DELETE', artifactUrl(path))
  }

  /** Download one artifact's bytes from the artifact proxy. */
  async downloadArtifact(path: string): Promise<Uint8Array> {
    const res = await this.transport.request('GET', artifactUrl(path))
    return new Uint8Array(await res.arrayBuffer())
  }

  /** Open one artifact of the proxy for streaming: the body is the file, `content-length` its size. */
  async openArtifact(path: string): Promise<Response> {
    return this.transport.request('GET', artifactUrl(path))
  }

  /** Start a multipart upload of `fileName` into the proxy folder `dir`; answers the part URLs. */
  async createMultipartUpload(
    dir: string,
    fileName: string,
    numParts: number,
  ): Promise<{ uploadId: string; parts: { partNumber: number; url: string }[] }> {
    const res = await this.transport.json<{
      upload_id: string
      credentials?: { part_number: number; url: string }[]
    }>('POST', mpuUrl('create', dir), { json: { path: fileName, num_parts: numParts } })
    const parts = (res.credentials ?? []).map((c) => ({ partNumber: c.part_number, url: c.url }))
    return { uploadId: res.upload_id, parts }
  }

  /** Upload one part to a URL from `createMultipartUpload` (sent to this client's server); its ETag. */
  async uploadPart(url: string, body: Blob | Uint8Array): Promise<string> {
    const target = new URL(url)
    const res = await this.transport.request('PUT', `${target.pathname}${target.search}`, {
      raw: body,
      contentType: 'application/octet-stream',
    })
    return res.headers.get('etag') ?? ''
  }

  /** Assemble the uploaded parts into `dir/fileName`. */
  async completeMultipartUpload(
    dir: string,
    fileName: string,
    uploadId: string,
    parts: { part_number: number; etag: string }[],
  ): Promise<void> {
    const body = { path: fileName, upload_id: uploadId, parts }
    await this.transport.request('POST', mpuUrl('complete', dir), { json: body })
  }

  /** Abandon a multipart upload and drop its parts. */
  async abortMultipartUpload(dir: string, fileName: string, uploadId: string): Promise<void> {
    const body = { path: fileName, upload_id: uploadId }
    await this.transport.request('POST', mpuUrl('abort', dir), { json: body })
  }

  /** List a folder of the artifact proxy (basenames; empty for files and missing paths). */
  async listArtifacts(path?: string): Promise<ArtifactFile[]> {
    const res = await this.transport.json<{ files?: ArtifactFile[] }>(
      'GET',
      `${ARTIFACTS}${queryString({ path })}`,
    )
    return res.files ?? []
  }
}
