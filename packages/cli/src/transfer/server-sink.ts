/**
 * Writes a transfer into a Logbook server (`logbook import`, `logbook import-mlflow`) through its
 * MLflow REST API: new ids everywhere, original times, status, users, values and bytes.
 */
import { openAsBlob } from 'node:fs'
import { unlink } from 'node:fs/promises'
import type { KeyValue, Metric } from '@logbook/core'
import type { LogbookClient } from '@logbook/sdk'
import { PARENT_RUN_TAG } from './model.ts'
import type {
  ArtifactEntry,
  ArtifactWriter,
  ExperimentRecord,
  LocalFile,
  LoggedModelRecord,
  MetricPoint,
  ModelBundle,
  RunRecord,
  RunWriter,
  TransferSink,
} from './model.ts'
import { createModel, createVersion, modelExists, setAlias } from './registry-api.ts'
import { rewriteSource } from './source-rewrite.ts'
import type { MappedRun } from './source-rewrite.ts'

/** MLflow's log-batch limits: 1,000 metrics, 100 params per request. */
const METRICS_PER_BATCH = 1000
const PARAMS_PER_BATCH = 100
/** log-batch requests in flight per metric: enough to hide a round trip, few enough for SQLite. */
const IN_FLIGHT = 4

/** How imported experiments are named and what happens when the name is taken. */
export interface ServerSinkOptions {
  /** Prepended to every experiment name. */
  prefix?: string
  /** Write into an existing experiment (and registered model) of the same name instead of failing. */
  merge?: boolean
}


/** The proxy path (relative to the artifacts destination) of an `mlflow-artifacts:` URI. */
export function proxyPath(uri: string): string {
  const m = /^mlflow-artifacts:(?:\/\/[^/]*)?\/*(.*)$/.exec(uri)
  if (!m) throw new Error(`Target run artifact URI '${uri}' is not served through the artifact proxy`)
  return (m[1] ?? '').replace(/\/+$/, '')
}

/** Uploads files under a target artifact URI through the proxy. */
async function upload(client: LogbookClient, artifactUri: string, entry: ArtifactEntry, file: LocalFile): Promise<void> {
  const path = `${proxyPath(artifactUri)}/${entry.path}`
  // A file-backed Blob: fetch streams it from disk instead of reading it into memory.
  await client.uploadArtifact(path, await openAsBlob(file.file))
  if (file.temporary) await unlink(file.file)
}

/** A logged model's files, then its final status (MLflow's client finalizes after uploading). */
class LoggedModelWriter implements ArtifactWriter {
  constructor(
    private readonly client: LogbookClient,
    private readonly modelId: string,
    private readonly artifactUri: string,
    private readonly status: string,
  ) {}

  artifact(entry: ArtifactEntry, file: LocalFile): Promise<void> {
    return upload(this.client, this.artifactUri, entry, file)
  }

  async end(): Promise<void> {
    if (this.status !== 'LOGGED_MODEL_READY' && this.status !== 'LOGGED_MODEL_UPLOAD_FAILED') return
    const route = `/api/2.0/mlflow/logged-models/${encodeURIComponent(this.modelId)}`
    await this.client.transport.json('PATCH', route, { json: { model_id: this.modelId, status: this.status } })
  }
}

class ServerRunWriter implements RunWriter {
  constructor(
    private readonly client: LogbookClient,
    private readonly run: RunRecord,
    private readonly target: MappedRun,
  ) {}

  async metric(key: string, pages: AsyncIterable<MetricPoint[]>): Promise<number> {
    const inflight = new Set<Promise<void>>()
    let failure: unknown
    let count = 0
    const send = async (metrics: Metric[]): Promise<void> => {
      const p: Promise<void> = this.client
        .logBatch(this.target.runId, { metrics })
        .catch((e: unknown) => {
          failure ??= e
        })
        .finally(() => inflight.delete(p))
      inflight.add(p)
      if (inflight.size >= IN_FLIGHT) await Promise.race(inflight)
      if (failure !== undefined) throw failure
    }
    let batch: Metric[] = []
    for await (const page of pages) {
      for (const p of page) {
        batch.push({ key, value: p.value, timestamp: p.timestamp, step: p.step })
        if (batch.length === METRICS_PER_BATCH) {
          await send(batch)
          batch = []
        }
      }
      count += page.length
    }
    if (batch.length > 0) await send(batch)
    await Promise.all(inflight)
    if (failure !== undefined) throw failure
    return count
  }

  artifact(entry: ArtifactEntry, file: LocalFile): Promise<void> {
    return upload(this.client, this.target.artifactUri, entry, file)
  }

  async end(): Promise<void> {
    const { status, endTime } = this.run
    if (status !== 'RUNNING' || endTime !== undefined) {
      await this.client.updateRun(this.target.runId, { status, endTime })
    }
  }
}

/** A `TransferSink` that recreates experiments, runs and models on a Logbook server. */
export class ServerSink implements TransferSink {
  /** Source experiment id -> target experiment id. */
  private readonly experimentIds = new Map<string, string>()
  /** Source run id -> where it landed. */
  readonly runs = new Map<string, MappedRun>()
  /** Source logged-model id -> target logged-model id. */
  readonly loggedModels = new Map<string, string>()
  private readonly parentLinks: { runId: string; sourceParent: string }[] = []
  private readonly outputs: { runId: string; outputs: { modelId: string; step: number }[] }[] = []
  private readonly deletedRuns: string[] = []
  private readonly deletedExperiments: string[] = []
  /** Messages about what could not be carried exactly, for the command to print. */
  readonly warnings: string[] = []

  constructor(
    private readonly client: LogbookClient,
    private readonly options: ServerSinkOptions = {},
  ) {}

  private targetName(experiment: ExperimentRecord): string {
    return `${this.options.prefix ?? ''}${experiment.name}`
  }

  /** The default experiment ('0', 'Default') merges into the target's own default one. */
  private isDefault(experiment: ExperimentRecord): boolean {
    return !this.options.prefix && experiment.id === '0' && experiment.name === 'Default'
  }

  private async existing(name: string): Promise<{ id: string; active: boolean } | undefined> {
    try {
      const e = await this.client.getExperimentByName(name)
      return { id: e.experiment_id, active: e.lifecycle_stage === 'active' }
    } catch (e) {
      if ((e as { code?: unknown }).code === 'RESOURCE_DOES_NOT_EXIST') return undefined
      throw e
    }
  }

  /** Fail before writing anything when a name is taken and neither --merge nor a prefix allows it. */
  async check(experiments: ExperimentRecord[], models: ModelBundle[]): Promise<void> {
    for (const experiment of experiments) {
      const name = this.targetName(experiment)
      const found = await this.existing(name)
      if (!found) continue
      if (!found.active) {
        throw new Error(`Experiment '${name}' exists on the target in the deleted state; restore or gc it first`)
      }
      if (!this.options.merge && !this.isDefault(experiment)) {
        throw new Error(
          `Experiment '${name}' already exists on the target; use --merge to add runs to it or --experiment-name-prefix`,
        )
      }
    }
    if (this.options.merge) return
    for (const { model } of models) {
      if (await modelExists(this.client.transport, model.name)) {
        throw new Error(`Registered model '${model.name}' already exists on the target; use --merge to add versions to it`)
      }
    }
  }

  async experiment(experiment: ExperimentRecord): Promise<void> {
    const name = this.targetName(experiment)
    const found = await this.existing(name)
    const id = found ? found.id : await this.client.createExperiment(name, { tags: experiment.tags })
    if (found) {
      for (const t of experiment.tags) await this.client.setExperimentTag(id, t.key, t.value)
    }
    this.experimentIds.set(experiment.id, id)
    if (experiment.lifecycleStage === 'deleted' && !found) this.deletedExperiments.push(id)
  }

  async run(experiment: ExperimentRecord, run: RunRecord): Promise<RunWriter> {
    const experimentId = this.experimentIds.get(experiment.id)
    if (experimentId === undefined) throw new Error(`Experiment ${experiment.id} was not created`)
    const parent = run.tags.find((t) => t.key === PARENT_RUN_TAG)
    const tags = run.tags.filter((t) => t.key !== PARENT_RUN_TAG)
    const created = await this.client.createRun({
      experimentId,
      runName: run.runName,
      userId: run.userId,
      startTime: run.startTime,
      tags,
    })
    const target = {
      runId: created.info.run_id,
      artifactUri: created.info.artifact_uri,
      sourceArtifactUri: run.artifactUri,
    }
    this.runs.set(run.runId, target)
    if (parent) this.parentLinks.push({ runId: target.runId, sourceParent: parent.value })
    if (run.modelOutputs?.length) this.outputs.push({ runId: target.runId, outputs: run.modelOutputs })
    if (run.lifecycleStage === 'deleted') this.deletedRuns.push(target.runId)
    for (let i = 0; i < run.params.length; i += PARAMS_PER_BATCH) {
      const params: KeyValue[] = run.params.slice(i, i + PARAMS_PER_BATCH)
      await this.client.logBatch(target.runId, { params })
    }
    if (run.datasetInputs.length > 0) await this.client.logInputs(target.runId, run.datasetInputs)
    return new ServerRunWriter(this.client, run, target)
  }

  async loggedModel(experiment: ExperimentRecord, model: LoggedModelRecord): Promise<ArtifactWriter> {
    const experimentId = this.experimentIds.get(experiment.id)
    if (experimentId === undefined) throw new Error(`Experiment ${experiment.id} was not created`)
    const sourceRun = model.sourceRunId === undefined ? undefined : this.runs.get(model.sourceRunId)
    const res = await this.client.transport.json<{ model: { info: { model_id: string; artifact_uri: string } } }>(
      'POST',
      '/api/2.0/mlflow/logged-models',
      {
        json: {
          experiment_id: experimentId,
          name: model.name,
          model_type: model.modelType,
          source_run_id: sourceRun?.runId,
          params: model.params,
          tags: model.tags,
        },
      },
    )
    const { model_id: modelId, artifact_uri: artifactUri } = res.model.info
    this.loggedModels.set(model.modelId, modelId)
    return new LoggedModelWriter(this.client, modelId, artifactUri, model.status)
  }

  async model(bundle: ModelBundle): Promise<void> {
    const { model, versions } = bundle
    const transport = this.client.transport
    if (!(await createModel(transport, model)) && !this.options.merge) {
      throw new Error(`Registered model '${model.name}' already exists on the target; use --merge to add versions to it`)
    }
    const numbers = new Map<string, string>()
    for (const v of versions) {
      const rewritten = rewriteSource(v, this.runs, this.loggedModels)
      const label = `${model.name} v${v.version}`
      if (rewritten.warning) this.warnings.push(`${label}: ${rewritten.warning}`)
      try {
        numbers.set(v.version, await createVersion(transport, model.name, rewritten.version))
      } catch (e) {
        // A version whose run was not carried may name a source the target cannot resolve.
        if (rewritten.version.runId !== undefined) throw e
        this.warnings.push(`${label}: skipped (${(e as Error).message})`)
      }
    }
    for (const a of model.aliases) {
      const version = numbers.get(a.version)
      if (version) await setAlias(transport, model.name, a.alias, version)
      else this.warnings.push(`${model.name}: alias '${a.alias}' names version ${a.version}, which was not carried`)
    }
  }

  async finish(): Promise<void> {
    for (const link of this.parentLinks) {
      const parent = this.runs.get(link.sourceParent)
      if (!parent) this.warnings.push(`run ${link.runId}: parent ${link.sourceParent} was not carried; link kept as is`)
      await this.client.setTag(link.runId, PARENT_RUN_TAG, parent?.runId ?? link.sourceParent)
    }
    for (const { runId, outputs } of this.outputs) {
      const models = outputs
        .filter((o) => this.loggedModels.has(o.modelId))
        .map((o) => ({ model_id: this.loggedModels.get(o.modelId), step: o.step }))
      if (models.length > 0) await this.client.transport.json('POST', '/api/2.0/mlflow/runs/outputs', { json: { run_id: runId, models } })
    }
    // Deleted last: a deleted run or experiment takes no more writes.
    for (const id of this.deletedRuns) await this.client.deleteRun(id)
    for (const id of this.deletedExperiments) await this.client.deleteExperiment(id)
  }
}
