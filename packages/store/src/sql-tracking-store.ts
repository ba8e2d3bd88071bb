import type { DialectAdapter } from './dialect/dialect-adapter.ts'
import { migrate } from './migrator.ts'
import type { LogbookStore } from './logbook-store.ts'
import { sqlAuthMethods } from './sql-auth-store.ts'
import { sqlLoggedModelMethods } from './sql-logged-model-store.ts'
import { sqlRegistryMethods } from './sql-registry-store.ts'
import { sqlUiQueryMethods } from './sql-ui-queries.ts'
import * as gc from './sql/gc.ts'
import type { StoreContext } from './sql/context.ts'
import * as experiments from './sql/experiments.ts'
import * as runs from './sql/runs.ts'
import * as logging from './sql/logging.ts'
import * as history from './sql/history.ts'
import { searchRuns } from './sql/search-runs.ts'

/** The one SQL implementation of TrackingStore, RegistryStore and LoggedModelStore; dialect differences live in the adapter. */
export async function createSqlTrackingStore(
  adapter: DialectAdapter,
  options: { defaultArtifactRoot: string },
): Promise<LogbookStore> {
  await migrate(adapter)
  const ctx: StoreContext = {
    adapter,
    db: adapter.db,
    defaultArtifactRoot: options.defaultArtifactRoot,
    keyIds: new Map(),
  }
  await experiments.ensureDefaultExperiment(ctx)
  const db = adapter.db
  return {
    ...sqlLoggedModelMethods(ctx),
    ...sqlRegistryMethods(ctx),
    ...sqlUiQueryMethods(ctx),
    ...sqlAuthMethods(ctx),
    createExperiment: (name, location, tags) => experiments.createExperiment(ctx, name, location, tags ?? []),
    getExperiment: (id) => experiments.getExperiment(db, id),
    getExperimentByName: (name) => experiments.getExperimentByName(db, name),
    searchExperiments: (q) => experiments.searchExperiments(ctx, q),
    renameExperiment: (id, name) => experiments.renameExperiment(ctx, id, name),
    deleteExperiment: (id) => experiments.setExperimentLifecycle(ctx, id, 'deleted'),
    restoreExperiment: (id) => experiments.setExperimentLifecycle(ctx, id, 'active'),
    setExperimentTag: (id, key, value) => experiments.setExperimentTag(ctx, id, key, value),
    deleteExperimentTag: (id, key) => experiments.deleteExperimentTag(ctx, id, key),
    createRun: (input) => runs.createRun(ctx, input),
    getRun: (id) => runs.getRun(db, id),
    updateRun: (id, update) => runs.updateRun(ctx, id, update),
    deleteRun: (id) => runs.setRunLifecycle(ctx, id, 'deleted'),
    restoreRun: (id) => runs.setRunLifecycle(ctx, id, 'active'),
    logBatch: (id, batch) => logging.logBatch(ctx, id, batch),
    logMetrics: (id, metrics) => logging.logMetrics(ctx, id, metrics),
    deleteTag: (id, key) => logging.deleteTag(ctx, id, key),
    logInputs: (id, datasets, models) => logging.logInputs(ctx, id, datasets, models),
    logOutputs: (id, models) => logging.logOutputs(ctx, id, models),
    searchRuns: (q) => searchRuns(ctx, q),
    getMetricHistory: (id, key, max, token) => history.getMetricHistory(ctx, id, key, max, token),
    getMetricHistoryJson: (id, key, max, token) => history.getMetricHistoryJson(ctx, id, key, max, token),
    getMetricHistoryBulkInterval: (ids, key, max, range) =>
      history.getMetricHistoryBulkInterval(ctx, ids, key, max, range),
    findGcCandidates: (selection) => gc.findGcCandidates(ctx, selection),
    purgeRun: (id) => gc.purgeRun(ctx, id),
    purgeLoggedModel: (id) => gc.purgeLoggedModel(ctx, id),
    purgeExperiment: (id) => gc.purgeExperiment(ctx, id),
    close: () => adapter.close(),
  }
}
