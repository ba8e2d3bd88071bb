import type { StoreContext } from './sql/context.ts'
import { sampledMetrics } from './sql/sampled-metrics.ts'
import { runGroups } from './sql/ui-groups.ts'
import { experimentKeys } from './sql/ui-keys.ts'
import { runsTable } from './sql/ui-runs-table.ts'
import type { UiQueries } from './ui-queries.ts'

/** The SQL implementation of the UI's queries, composed into the store by sql-tracking-store.ts. */
export function sqlUiQueryMethods(ctx: StoreContext): UiQueries {
  return {
    runsTable: (q) => runsTable(ctx, q),
    runGroups: (q) => runGroups(ctx, q),
    experimentKeys: (ids) => experimentKeys(ctx, ids),
    sampledMetrics: (q) => sampledMetrics(ctx, q),
  }
}
