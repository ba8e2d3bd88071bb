import type {
  Experiment,
  FilterExpr,
  KeyValue,
  Metric,
  OrderTerm,
  Page,
  Run,
  RunInfo,
  RunStatus,
  ViewType,
} from '@logbook/core'

/** One dataset input as logged by `log_inputs`. */
export interface DatasetInputIn {
  tags: KeyValue[]
  dataset: {
    name: string
    digest: string
    source_type: string
    source: string
    schema?: string
    profile?: string
  }
}

export interface SearchRunsQuery {
  experimentIds: string[]
  filter?: FilterExpr
  orderBy: OrderTerm[]
  viewType: ViewType
  maxResults: number
  pageToken?: string
}

export interface SearchExperimentsQuery {
  filter?: FilterExpr
  orderBy: OrderTerm[]
  viewType: ViewType
  maxResults: number
  pageToken?: string
}

export interface BatchIn {
  metrics: Metric[]
  params: KeyValue[]
  tags: KeyValue[]
}

/** A metric point of a bulk read, with its run. */
export interface RunMetric extends Metric {
  run_id: string
}

/** Everything the tracking routes need from storage. Implemented once in SQL (sql-tracking-store.ts). */
export interface TrackingStore {
  createExperiment(name: string, artifactLocation?: string, tags?: KeyValue[]): Promise<string>
  getExperiment(experimentId: string): Promise<Experiment>
  getExperimentByName(name: string): Promise<Experiment | undefined>
  searchExperiments(query: SearchExperimentsQuery): Promise<Page<Experiment>>
  renameExperiment(experimentId: string, newName: string): Promise<void>
  deleteExperiment(experimentId: string): Promise<void>
  restoreExperiment(experimentId: string): Promise<void>
  setExperimentTag(experimentId: string, key: string, value: string): Promise<void>
  deleteExperimentTag(experimentId: string, key: string): Promise<void>

  createRun(input: {
    experimentId?: string
    userId?: string
    runName?: string
    startTime?: number
    tags: KeyValue[]
  }): Promise<Run>
  getRun(runId: string): Promise<Run>
  updateRun(
    runId: string,
    update: { status?: RunStatus; endTime?: number; runName?: string },
  ): Promise<RunInfo>
  deleteRun(runId: string): Promise<void>
  restoreRun(runId: string): Promise<void>
  logBatch(runId: string, batch: BatchIn): Promise<void>
  /** Metrics only, up to METRIC_COLUMNS_MAX_POINTS at once (Logbook's binary route); else as logBatch. */
  logMetrics(runId: string, metrics: Metric[]): Promise<void>
  deleteTag(runId: string, key: string): Promise<void>
  logInputs(runId: string, datasets: DatasetInputIn[], modelIds: string[]): Promise<void>
  logOutputs(runId: string, models: { model_id: string; step: number }[]): Promise<void>
  searchRuns(query: SearchRunsQuery): Promise<Page<Run>>

  /** History ordered by (step, timestamp, value), paged by an opaque keyset token. */
  getMetricHistory(
    runId: string,
    key: string,
    maxResults: number | undefined,
    pageToken: string | undefined,
  ): Promise<Page<Metric>>
  /** The same page as a JSON array of metrics, built in SQL where the dialect can (hot read path). */
  getMetricHistoryJson(
    runId: string,
    key: string,
    maxResults: number | undefined,
    pageToken: string | undefined,
  ): Promise<{ metricsJson: string; nextPageToken?: string }>
  /** Sampled history of several runs (MLflow's get-history-bulk-interval semantics). */
  getMetricHistoryBulkInterval(
    runIds: string[],
    key: string,
    maxResults: number,
    stepRange?: { start: number; end: number },
  ): Promise<RunMetric[]>

  close(): Promise<void>
}
