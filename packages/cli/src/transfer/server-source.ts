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
import type { Experiment, Run } from '@logbook/core'
import type { LogbookClient } from '@logbook/sdk'
import type {
  ArtifactEntry,
  ExperimentRecord,
  LocalFile,
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
  }
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

  async *artifacts(run: RunRecord, dir = ''): AsyncIterable<ArtifactEntry> {
    let pageToken: string | undefined
    do {
      const query = { run_id: run.runId, path: dir || undefined, page_token: pageToken }
      const res = await this.client.transport.json<{
        files?: { path: string; is_dir?: boolean; file_size?: number | string }[]
        next_page_token?: string
      }>('GET', `/api/2.0/mlflow/artifacts/list${queryString(query)}`)
      for (const f of res.files ?? []) {
        // Both servers answer paths relative to the run's root; a bare name is tolerated too.
        const path = f.path.includes('/') || !dir ? f.path : `${dir}/${f.path}`
        if (f.is_dir) yield* this.artifacts(run, path)
        else yield { path, size: f.file_size === undefined ? 0 : Number(f.file_size) }
      }
      pageToken = res.next_page_token || undefined
    } while (pageToken)
  }

  async fetchArtifact(run: RunRecord, path: string, tmpDir: string): Promise<LocalFile> {
    // `/get-artifact` reaches the run's files on either server, whatever its artifact URI scheme.
    const res = await this.client.transport.request(
      'GET',
      `/get-artifact${queryString({ run_id: run.runId, path })}`,
    )
    const file = join(tmpDir, `artifact-${Date.now()}-${Math.random().toString(36).slice(2)}`)
    if (!res.body) throw new Error(`Empty response downloading artifact '${path}' of run ${run.runId}`)
    await pipeline(Readable.fromWeb(res.body as WebReadableStream<Uint8Array>), createWriteStream(file))
    return { file, temporary: true }
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
