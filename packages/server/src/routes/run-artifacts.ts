/**
 * Routes that reach artifacts through tracking metadata: the tracking-side listing
 * (`artifacts/list`), and the UI's downloads `/get-artifact`, `/model-versions/get-artifact` and
 * `logged-models/{id}/artifacts/files`. The stored URI is resolved with `parseArtifactUri`, so only
 * locations inside this server's artifact root are ever read.
 */
import type { Context, Hono } from 'hono'
import { joinSafePath, parseArtifactUri, safeArtifactPath } from '@logbook/artifacts'
import type { ArtifactStore, FileInfo, SafePath } from '@logbook/artifacts'
import { invalidParam } from '@logbook/core'
import type { LogbookStore } from '@logbook/store'
import { json } from '../rpc.ts'
import { fileResponse, rawQueryParam } from './artifact-http.ts'

function required(c: Context, ...names: string[]): string {
  for (const name of names) {
    const value = c.req.query(name)
    if (value) return value
  }
  throw invalidParam(`Missing value for required parameter '${names[0]}'.`)
}

/** The artifact path of the request's `path` query parameter, taken raw and validated once. */
function requestPath(c: Context): SafePath {
  return safeArtifactPath(rawQueryParam(c, 'path') ?? '')
}

async function runRoot(c: Context, store: LogbookStore): Promise<{ uri: string; root: SafePath }> {
  const run = await store.getRun(required(c, 'run_id', 'run_uuid'))
  return { uri: run.info.artifact_uri, root: parseArtifactUri(run.info.artifact_uri) }
}

/** Registers `artifacts/list`, `/get-artifact` and `/model-versions/get-artifact`. */
export function runArtifactRoutes(app: Hono, store: LogbookStore, artifacts: ArtifactStore): void {
  for (const prefix of ['/api/2.0/mlflow', '/ajax-api/2.0/mlflow']) {
    app.get(`${prefix}/artifacts/list`, async (c) => {
      const path = requestPath(c)
      const { uri, root } = await runRoot(c, store)
      const entries = await artifacts.list(joinSafePath(root, path))
      // Paths relative to the run's artifact root, as MLflow's tracking-side listing returns them.
      const files: FileInfo[] = entries.map((f) => ({ ...f, path: path === '' ? f.path : `${path}/${f.path}` }))
      return json({ root_uri: uri, files })
    })
    // The UI's download of one file of a logged model (MLflow 3).
    app.get(`${prefix}/logged-models/:model_id/artifacts/files`, async (c) => {
      const path = safeArtifactPath(rawQueryParam(c, 'artifact_file_path') ?? '')
      const model = await store.getLoggedModel(c.req.param('model_id'))
      return fileResponse(c, artifacts, joinSafePath(parseArtifactUri(model.info.artifact_uri), path))
    })
  }
  app.get('/get-artifact', async (c) => {
    const path = requestPath(c)
    const { root } = await runRoot(c, store)
    return fileResponse(c, artifacts, joinSafePath(root, path))
  })
  app.get('/model-versions/get-artifact', async (c) => {
    const path = requestPath(c)
    const uri = await store.getModelVersionDownloadUri(required(c, 'name'), required(c, 'version'))
    return fileResponse(c, artifacts, joinSafePath(parseArtifactUri(uri), path))
  })
}
