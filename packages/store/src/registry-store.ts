import type {
  FilterExpr,
  KeyValue,
  ModelVersion,
  OrderTerm,
  Page,
  RegisteredModel,
} from '@logbook/core'

export interface SearchRegistryQuery {
  filter?: FilterExpr
  orderBy: OrderTerm[]
  maxResults: number
  pageToken?: string
}

/** Input of createModelVersion; the source is validated and resolved by the store. */
export interface CreateModelVersionIn {
  name: string
  source: string
  runId?: string
  tags: KeyValue[]
  runLink?: string
  description?: string
  modelId?: string
}

/** The model registry: registered models, their versions, tags, stages and aliases. */
export interface RegistryStore {
  /** 400 RESOURCE_ALREADY_EXISTS for a taken name (MLflow's client relies on that code). */
  createRegisteredModel(input: {
    name: string
    tags: KeyValue[]
    description?: string
  }): Promise<RegisteredModel>
  getRegisteredModel(name: string): Promise<RegisteredModel>
  renameRegisteredModel(name: string, newName: string): Promise<RegisteredModel>
  updateRegisteredModel(name: string, description: string | undefined): Promise<RegisteredModel>
  /** Hard delete of the model with its versions, tags and aliases. */
  deleteRegisteredModel(name: string): Promise<void>
  searchRegisteredModels(query: SearchRegistryQuery): Promise<Page<RegisteredModel>>
  setRegisteredModelTag(name: string, key: string, value: string): Promise<void>
  deleteRegisteredModelTag(name: string, key: string): Promise<void>
  /** Latest non-deleted version per stage, restricted to `stages` when given. */
  getLatestVersions(name: string, stages?: string[]): Promise<ModelVersion[]>
  setRegisteredModelAlias(name: string, alias: string, version: string): Promise<void>
  deleteRegisteredModelAlias(name: string, alias: string): Promise<void>
  /** Unknown alias is 400 INVALID_PARAMETER_VALUE, as MLflow; `latest` is the newest version. */
  getModelVersionByAlias(name: string, alias: string): Promise<ModelVersion>

  createModelVersion(input: CreateModelVersionIn): Promise<ModelVersion>
  getModelVersion(name: string, version: string): Promise<ModelVersion>
  updateModelVersion(
    name: string,
    version: string,
    description: string | undefined,
  ): Promise<ModelVersion>
  /** Soft delete: the number is never reused, aliases pointing at it are removed. */
  deleteModelVersion(name: string, version: string): Promise<void>
  searchModelVersions(query: SearchRegistryQuery): Promise<Page<ModelVersion>>
  setModelVersionTag(name: string, version: string, key: string, value: string): Promise<void>
  deleteModelVersionTag(name: string, version: string, key: string): Promise<void>
  transitionModelVersionStage(
    name: string,
    version: string,
    stage: string,
    archiveExistingVersions: boolean,
  ): Promise<ModelVersion>
  getModelVersionDownloadUri(name: string, version: string): Promise<string>
}
