/**
 * The records that travel through a transfer (export, import, import-mlflow): one data mapping shared
 * by every reader (a tracking server over MLflow's REST API, an export folder) and every writer
 * (an export folder, a Logbook server).
 */
import type { DatasetInput, KeyValue, LifecycleStage, RunStatus } from '@logbook/core'

/** An experiment as exported: name, tags and where its artifacts lived on the source. */
export interface ExperimentRecord {
  id: string
  name: string
  artifactLocation: string
  lifecycleStage: LifecycleStage
  creationTime?: number
  lastUpdateTime?: number
  tags: KeyValue[]
}

/** A run without its metric history: info, params, tags, dataset inputs and the names of its metrics. */
export interface RunRecord {
  runId: string
  experimentId: string
  runName: string
  userId: string
  status: RunStatus
  startTime: number
  endTime?: number
  lifecycleStage: LifecycleStage
  artifactUri: string
  params: KeyValue[]
  tags: KeyValue[]
  datasetInputs: DatasetInput[]
  metricKeys: string[]
  /** Logged models this run produced (MLflow 3), by source model id. */
  modelOutputs?: { modelId: string; step: number }[]
}

/** An MLflow 3 logged model: metadata here, files under its own artifact root. */
export interface LoggedModelRecord {
  modelId: string
  experimentId: string
  name: string
  modelType?: string
  sourceRunId?: string
  status: string
  artifactUri: string
  tags: KeyValue[]
  params: KeyValue[]
}

/** One point of a metric's history; `value` may be NaN or ±Infinity. */
export interface MetricPoint {
  step: number
  timestamp: number
  value: number
}

/** A registered model with its tags and aliases (`version` is the source's version number). */
export interface ModelRecord {
  name: string
  description?: string
  tags: KeyValue[]
  aliases: { alias: string; version: string }[]
}

/** A model version; `runId` and `source` still name the source server's run. */
export interface VersionRecord {
  version: string
  source: string
  runId?: string
  runLink?: string
  description?: string
  currentStage: string
  status?: string
  userId?: string
  tags: KeyValue[]
}

/** A registered model together with all its versions, oldest first. */
export interface ModelBundle {
  model: ModelRecord
  versions: VersionRecord[]
}

/** A file of a run's artifacts, path relative to the run's artifact root ('/'-separated). */
export interface ArtifactEntry {
  path: string
  size?: number
}

/** A local copy of one artifact; `temporary` files may be moved or deleted by the writer. */
export interface LocalFile {
  file: string
  temporary: boolean
}

/** Where a transfer reads from: a tracking server or an export folder. */
export interface TransferSource {
  /** Human-readable origin (a URL or a folder), recorded in the manifest. */
  readonly description: string
  experiments(): AsyncIterable<ExperimentRecord>
  runs(experiment: ExperimentRecord): AsyncIterable<RunRecord>
  /** The whole history of one metric in pages, so a 1M-point series is never held at once. */
  metricPages(run: RunRecord, key: string): AsyncIterable<MetricPoint[]>
  /** Every file of the run's artifacts, folders walked recursively. */
  artifacts(run: RunRecord): AsyncIterable<ArtifactEntry>
  /** A local file with the artifact's bytes (downloaded into `tmpDir` when remote). */
  fetchArtifact(run: RunRecord, path: string, tmpDir: string): Promise<LocalFile>
  /** The experiment's logged models (not deleted ones). */
  loggedModels(experiment: ExperimentRecord): AsyncIterable<LoggedModelRecord>
  /** Every file of a logged model's artifacts. */
  loggedModelArtifacts(model: LoggedModelRecord): AsyncIterable<ArtifactEntry>
  fetchLoggedModelArtifact(model: LoggedModelRecord, path: string, tmpDir: string): Promise<LocalFile>
  /** Registered models with their versions; `runIds` are the runs this transfer carries. */
  models(runIds: ReadonlySet<string>): AsyncIterable<ModelBundle>
}

/** Writes the files of a run or logged model, then closes it. */
export interface ArtifactWriter {
  artifact(entry: ArtifactEntry, file: LocalFile): Promise<void>
  end(): Promise<void>
}

/** Writes the records of one run. */
export interface RunWriter extends ArtifactWriter {
  /** Write a metric's full history; returns the number of points written. */
  metric(key: string, pages: AsyncIterable<MetricPoint[]>): Promise<number>
  /** Status, end time and lifecycle come last: a deleted or finished run takes no more writes. */
  end(): Promise<void>
}

/** Where a transfer writes to: an export folder or a Logbook server. */
export interface TransferSink {
  experiment(experiment: ExperimentRecord): Promise<void>
  run(experiment: ExperimentRecord, run: RunRecord): Promise<RunWriter>
  /** Called after the experiment's runs, so the model's source run is known. */
  loggedModel(experiment: ExperimentRecord, model: LoggedModelRecord): Promise<ArtifactWriter>
  /** Called after every run is written (so sources of versions can be remapped). */
  model(bundle: ModelBundle): Promise<void>
  /** Called after every experiment and model; `counts` go into the manifest. */
  finish(counts: TransferCounts): Promise<void>
}

/** What a transfer carried. */
export interface TransferCounts {
  experiments: number
  runs: number
  loggedModels: number
  metricPoints: number
  artifacts: number
  artifactBytes: number
  models: number
  modelVersions: number
}

/** Tags that name a run by id; writers remap them to the target's ids. */
export const PARENT_RUN_TAG = 'mlflow.parentRunId'
