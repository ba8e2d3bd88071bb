import type {
  FilterExpr,
  KeyValue,
  LoggedModel,
  LoggedModelOrderTerm,
  LoggedModelStatus,
  Page,
} from '@logbook/core'

/** Input of createLoggedModel; `name` is generated when absent. */
export interface CreateLoggedModelIn {
  experimentId: string
  name?: string
  modelType?: string
  sourceRunId?: string
  params: KeyValue[]
  tags: KeyValue[]
}

/** A dataset restriction of logged-model search: metric filters (or any metric) must be on it. */
export interface DatasetFilterIn {
  datasetName: string
  datasetDigest?: string
}

export interface SearchLoggedModelsQuery {
  experimentIds: string[]
  filter?: FilterExpr
  datasets: DatasetFilterIn[]
  orderBy: LoggedModelOrderTerm[]
  maxResults: number
  pageToken?: string
}

/** MLflow 3 logged models: the metadata behind `log_model`, `models:/<model_id>` and run outputs. */
export interface LoggedModelStore {
  createLoggedModel(input: CreateLoggedModelIn): Promise<LoggedModel>
  /** 404 for unknown ids and, unless `allowDeleted`, for deleted models. */
  getLoggedModel(modelId: string, allowDeleted?: boolean): Promise<LoggedModel>
  finalizeLoggedModel(modelId: string, status: LoggedModelStatus): Promise<LoggedModel>
  deleteLoggedModel(modelId: string): Promise<void>
  setLoggedModelTags(modelId: string, tags: KeyValue[]): Promise<void>
  /** 404 when the tag is not set. */
  deleteLoggedModelTag(modelId: string, key: string): Promise<void>
  logLoggedModelParams(modelId: string, params: KeyValue[]): Promise<void>
  searchLoggedModels(query: SearchLoggedModelsQuery): Promise<Page<LoggedModel>>
}
