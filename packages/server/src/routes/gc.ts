import type { Hono } from 'hono'
import { z } from 'zod'
import type { ArtifactStore } from '@logbook/artifacts'
import type { LogbookStore } from '@logbook/store'
import { collectGarbage } from '../gc.ts'
import { LOGBOOK_PREFIXES, rpc } from '../rpc.ts'

const gcRequest = z.object({
  older_than_ms: z.number().int().nonnegative().optional(),
  run_ids: z.array(z.string()).optional(),
  experiment_ids: z.array(z.string()).optional(),
})

/** `POST /api/2.0/logbook/gc` (and the ajax mirror): permanent deletion, as `logbook gc` does. */
export function gcRoutes(app: Hono, store: LogbookStore, artifacts: ArtifactStore | undefined): void {
  rpc(
    app,
    'POST',
    '/gc',
    gcRequest,
    async (req) => {
      const r = await collectGarbage(store, artifacts, {
        deletedBefore: req.older_than_ms === undefined ? undefined : Date.now() - req.older_than_ms,
        runIds: req.run_ids,
        experimentIds: req.experiment_ids,
      })
      return {
        run_ids: r.runIds,
        experiment_ids: r.experimentIds,
        logged_model_ids: r.loggedModelIds,
        skipped_artifact_locations: r.skippedArtifactLocations,
      }
    },
    LOGBOOK_PREFIXES,
  )
}
