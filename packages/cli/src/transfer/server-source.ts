/**
 * Reads a tracking server through MLflow's REST API. Logbook and MLflow's own server answer the same
 * routes, so this one reader serves `logbook export` and `logbook import-mlflow`.
 */
import { createWriteStream } from 'node:fs'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { ReadableStream as WebReadableStream } from 'node:stream/web'
import { decodeDouble } from '@logbook/core'
import type { Experiment, KeyValue, Run } from '@logbook/core'
import type { LogbookClient } from '@logbook/sdk'
import type {
  ArtifactEntry,
  ExperimentRecord,
  LocalFile,
  LoggedModelRecord,
  MetricPoint,
  ModelBundle,
  RunRecord,
  TransferSource,
} from './model.ts'
import { listModels, listVersions, queryString } from './registry-api.ts'

/** Which experiments to read: ids, names, or every experiment (deleted ones included). */
export interface ExperimentSelection {
  ids?: string[]
  names?: string[]
}

/** History page size: what MLflow's client asks for, and the largest page both servers serve fast. */
const HISTORY_PAGE = 25_000

function toExperimentRecord(e: Experiment): ExperimentRecord {
  return {
    id: e.experiment_id,
    name: e.name,
    artifactLocation: e.artifact_location,
    lifecycleStage: e.lifecycle_stage,
    creationTime: e.creation_time,
    lastUpdateTime: e.last_update_time,
    tags: e.tags ?? [],
  }
}

function toRunRecord(run: Run): RunRecord {
  const { info } = run
  return {
    runId: info.run_id,
    experimentId: info.experiment_id,
    runName: info.run_name,
    userId: info.user_id,
    status: info.status,
    startTime: info.start_time,
    endTime: info.end_time || undefined,
    lifecycleStage: info.lifecycle_stage,
    artifactUri: info.artifact_uri,
    params: run.data.params,
    tags: run.data.tags,
    datasetInputs: run.inputs.dataset_inputs ?? [],
    metricKeys: [...new Set(run.data.metrics.map((m) => m.key))].sort(),
    modelOutputs: (run.outputs?.model_outputs ?? []).map((o) => ({ modelId: o.model_id, step: Number(o.step ?? 0) })),
  }
}

interface WireLoggedModel {
  info: {
    model_id: string
    experiment_id: string
    name: string
    model_type?: string
    source_run_id?: string
    status?: string
    artifact_uri: string
    tags?: KeyValue[]
  }
  data?: { params?: KeyValue[] }
}

function toLoggedModelRecord(m: WireLoggedModel): LoggedModelRecord {
  return {
    modelId: m.info.model_id,
    experimentId: m.info.experiment_id,
    name: m.info.name,
    modelType: m.info.model_type || undefined,
    sourceRunId: m.info.source_run_id || undefined,
    status: m.info.status ?? 'LOGGED_MODEL_READY',
    artifactUri: m.info.artifact_uri,
    tags: m.info.tags ?? [],
    params: m.data?.params ?? [],
  }
}

/** One page of a folder listing: `path`s relative to the root (or bare names, tolerated). */
interface Listing {
  files?: { path: string; is_dir?: boolean; file_size?: number | string }[]
  next_page_token?: string
}

/** A `TransferSource` over any server that speaks MLflow's tracking, registry and artifact API. */
export class ServerSource implements TransferSource {
  readonly description: string

  constructor(
    private readonly client: LogbookClient,
    private readonly selection: ExperimentSelection,
  ) {
    this.description = client.transport.baseUrl
  }

  private get all(): boolean {
    return !this.selection.ids?.length && !this.selection.names?.length
  }

  async *experiments(): AsyncIterable<ExperimentRecord> {
    if (this.all) {
      let pageToken: string | undefined
      do {
        const page = await this.client.searchExperiments({
          viewType: 'ALL',
          orderBy: ['creation_time ASC'],
          pageToken,
        })
        for (const e of page.experiments) yield toExperimentRecord(e)
        pageToken = page.nextPageToken || undefined
      } while (pageToken)
      return
    }
    for (const id of this.selection.ids ?? []) {
      yield toExperimentRecord(await this.client.getExperiment(id))
    }
    for (const name of this.selection.names ?? []) {
      yield toExperimentRecord(await this.client.getExperimentByName(name))
    }
  }

  async *runs(experiment: ExperimentRecord): AsyncIterable<RunRecord> {
    let pageToken: string | undefined
    do {
      // Oldest first, so parents usually come before their nested runs.
      const page = await this.client.searchRuns({
        experimentIds: [experiment.id],
        viewType: 'ALL',
        orderBy: ['attributes.start_time ASC'],
        pageToken,
      })
      for (const run of page.runs) yield toRunRecord(run)
      pageToken = page.nextPageToken || undefined
    } while (pageToken)
  }

  async *metricPages(run: RunRecord, key: string): AsyncIterable<MetricPoint[]> {
    let pageToken: string | undefined
    do {
      const query = {
        run_id: run.runId,
        run_uuid: run.runId,
        metric_key: key,
        max_results: HISTORY_PAGE,
        page_token: pageToken,
      }
      const res = await this.client.transport.json<{
        metrics?: { value: unknown; step?: number | string; timestamp: number | string }[]
        next_page_token?: string
      }>('GET', `/api/2.0/mlflow/metrics/get-history${queryString(query)}`)
      yield (res.metrics ?? []).map((m) => ({
        step: Number(m.step ?? 0),
        timestamp: Number(m.timestamp),
        value: decodeDouble(m.value) ?? Number.NaN,
      }))
      pageToken = res.next_page_token || undefined
    } while (pageToken)
  }

  /** Walk a listing route recursively; `list(dir)` is the route for one folder. */
  private async *walk(list: (dir: string, pageToken?: string) => string, dir = ''): AsyncIterable<ArtifactEntry> {
    let pageToken: string | undefined
    do {
      const res = await this.client.transport.json<Listing>('GET', list(dir, pageToken))
      for (const f of res.files ?? []) {
        // Both servers answer paths relative to the root; a bare name is tolerated too.
        const path = f.path.includes('/') || !dir ? f.path : `${dir}/${f.path}`
        if (f.is_dir) yield* this.walk(list, path)
        else yield { path, size: f.file_size === undefined ? 0 : Number(f.file_size) }
      }
      pageToken = res.next_page_token || undefined
    } while (pageToken)
  }

  artifacts(run: RunRecord): AsyncIterable<ArtifactEntry> {
    return this.walk(
      (dir, pageToken) =>
        `/api/2.0/mlflow/artifacts/list${queryString({ run_id: run.runId, path: dir || undefined, page_token: pageToken })}`,
    )
  }

  /** Stream one GET response into a temporary file. */
  private async download(route: string, tmpDir: string, what: string): Promise<LocalFile> {
    const res = await this.client.transport.request('GET', route)
    const file = join(tmpDir, `artifact-${Date.now()}-${Math.random().toString(36).slice(2)}`)
    // A body-less response is an empty file.
    const body = res.body ? Readable.fromWeb(res.body as WebReadableStream<Uint8Array>) : Readable.from([])
    await pipeline(body, createWriteStream(file)).catch((e: unknown) => {
      throw new Error(`Downloading ${what} failed: ${(e as Error).message}`, { cause: e })
    })
    return { file, temporary: true }
  }

  fetchArtifact(run: RunRecord, path: string, tmpDir: string): Promise<LocalFile> {
    // `/get-artifact` reaches the run's files on either server, whatever its artifact URI scheme.
    const route = `/get-artifact${queryString({ run_id: run.runId, path })}`
    return this.download(route, tmpDir, `artifact '${path}' of run ${run.runId}`)
  }

  async *loggedModels(experiment: ExperimentRecord): AsyncIterable<LoggedModelRecord> {
    let pageToken: string | undefined
    do {
      const res = await this.client.transport.json<{ models?: WireLoggedModel[]; next_page_token?: string }>(
        'POST',
        '/api/2.0/mlflow/logged-models/search',
        { json: { experiment_ids: [experiment.id], max_results: 100, page_token: pageToken } },
      )
      for (const m of res.models ?? []) yield toLoggedModelRecord(m)
      pageToken = res.next_page_token || undefined
    } while (pageToken)
  }

  loggedModelArtifacts(model: LoggedModelRecord): AsyncIterable<ArtifactEntry> {
    const base = `/api/2.0/mlflow/logged-models/${encodeURIComponent(model.modelId)}/artifacts/directories`
    return this.walk((dir) => `${base}${queryString({ artifact_directory_path: dir || undefined })}`)
  }

  fetchLoggedModelArtifact(model: LoggedModelRecord, path: string, tmpDir: string): Promise<LocalFile> {
    // The UI's download route: MLflow serves it under /ajax-api only.
    const base = `/ajax-api/2.0/mlflow/logged-models/${encodeURIComponent(model.modelId)}/artifacts/files`
    return this.download(`${base}${queryString({ artifact_file_path: path })}`, tmpDir, `file '${path}' of logged model ${model.modelId}`)
  }

  async *models(runIds: ReadonlySet<string>): AsyncIterable<ModelBundle> {
    for await (const model of listModels(this.client.transport)) {
      const versions = await listVersions(this.client.transport, model.name)
      // A partial export carries the models that point at one of its runs; a full one carries all.
      if (!this.all && !versions.some((v) => v.runId !== undefined && runIds.has(v.runId))) continue
      yield { model, versions }
    }
  }
}
