export type { TrackingStore, SearchRunsQuery, SearchExperimentsQuery, BatchIn, DatasetInputIn, RunMetric } from './tracking-store.ts'
export type { DialectAdapter } from './dialect/dialect-adapter.ts'
export type { RegistryStore, SearchRegistryQuery, CreateModelVersionIn } from './registry-store.ts'
export type {
  LoggedModelStore,
  CreateLoggedModelIn,
  SearchLoggedModelsQuery,
  DatasetFilterIn,
} from './logged-model-store.ts'
export type { LogbookStore } from './logbook-store.ts'
export type {
  UiQueries,
  RunTableQuery,
  RunTablePage,
  RunTableRow,
  RunTableColumns,
  RunGroupsQuery,
  RunGroup,
  ExperimentKeys,
  SampledMetricsQuery,
  SampledSeries,
} from './ui-queries.ts'
export type {
  AuthStore,
  AuthUser,
  TokenInfo,
  TokenKind,
  PermissionName,
  GrantTarget,
  ExperimentPermission,
  RegisteredModelPermission,
} from './auth-store.ts'
export { PERMISSIONS } from './auth-store.ts'
export type { GcStore, GcCandidates, GcSelection } from './gc-store.ts'
export { openTrackingStore, openAdapter, type ServingOptions } from './open-store.ts'
export { createSqlTrackingStore } from './sql-tracking-store.ts'
export { migrate, SCHEMA_VERSION, KNOWN_MIGRATIONS, appliedMigrations } from './migrator.ts'
