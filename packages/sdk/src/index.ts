export { LogbookClient } from './client.ts'
export type { ArtifactFile, LogBatchInput, LogbookClientOptions } from './client.ts'
export { configFromEnv } from './config.ts'
export type { Env } from './config.ts'
export { DEFAULT_RETRY, NetworkError, isRetryable } from './http.ts'
export type { RetryPolicy } from './http.ts'
export { MetricQueue } from './metric-queue.ts'
export type { MetricQueueOptions } from './metric-queue.ts'
export { Run, proxyArtifactRoot, setLocalFileReader } from './run.ts'
export type {
  ArtifactSource,
  LocalFile,
  LocalFileReader,
  LocalPath,
  MetricOptions,
  RunQueueOptions,
  Scalar,
} from './run.ts'
export { resolveExperimentId, startRun } from './start-run.ts'
export type { StartRunOptions } from './start-run.ts'
export { MlflowError, isMlflowError } from '@logbook/core'
export { MetricBatch } from './metric-batch.ts'
export { LoggedModelsApi } from './logged-models-client.ts'
export type { LoggedModelArtifact, LoggedModelOrder } from './logged-models-client.ts'
export { RegistryApi } from './registry-client.ts'
export type { RegistrySearch } from './registry-client.ts'
