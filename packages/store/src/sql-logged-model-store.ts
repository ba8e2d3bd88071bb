import type { LoggedModelStore } from './logged-model-store.ts'
import type { StoreContext } from './sql/context.ts'
import * as models from './sql/logged-models.ts'
import { searchLoggedModels } from './sql/logged-model-search.ts'

/** The SQL implementation of LoggedModelStore over the tracking store's context (one adapter). */
export function sqlLoggedModelMethods(ctx: StoreContext): LoggedModelStore {
  return {
    createLoggedModel: (input) => models.createLoggedModel(ctx, input),
    getLoggedModel: (id, allowDeleted) => models.getLoggedModel(ctx, id, allowDeleted ?? false),
    finalizeLoggedModel: (id, status) => models.finalizeLoggedModel(ctx, id, status),
    deleteLoggedModel: (id) => models.deleteLoggedModel(ctx, id),
    setLoggedModelTags: (id, tags) => models.setLoggedModelTags(ctx, id, tags),
    deleteLoggedModelTag: (id, key) => models.deleteLoggedModelTag(ctx, id, key),
    logLoggedModelParams: (id, params) => models.logLoggedModelParams(ctx, id, params),
    searchLoggedModels: (q) => searchLoggedModels(ctx, q),
  }
}
