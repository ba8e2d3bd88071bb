/** Points a model version's source and run id at the run it was copied to. */
import type { VersionRecord } from './model.ts'

/** Where one source run landed on the target. */
export interface MappedRun {
  runId: string
  artifactUri: string
  sourceArtifactUri: string
}

/**
 * `runs:/<old>/p` becomes `runs:/<new>/p`; a location under the old run's artifact URI moves under the
 * new one; `models:/<old logged model>` names the copied logged model. A logged-model source whose
 * model was not carried falls back to the new run's artifact root and says so.
 */
export function rewriteSource(
  v: VersionRecord,
  runs: ReadonlyMap<string, MappedRun>,
  loggedModels: ReadonlyMap<string, string> = new Map(),
): { version: VersionRecord; warning?: string } {
  const model = /^models:\/(m-[^/]+)(\/.*)?$/.exec(v.source)
  const newModel = model ? loggedModels.get(model[1] ?? '') : undefined
  if (model && newModel) {
    const runId = v.runId === undefined ? undefined : runs.get(v.runId)?.runId
    return { version: { ...v, runId, source: `models:/${newModel}${model[2] ?? ''}` } }
  }
  const mapped = v.runId === undefined ? undefined : runs.get(v.runId)
  if (!mapped || v.runId === undefined) return { version: { ...v, runId: undefined } }
  const out: VersionRecord = { ...v, runId: mapped.runId }
  const runsPrefix = `runs:/${v.runId}`
  const oldRoot = mapped.sourceArtifactUri.replace(/\/+$/, '')
  if (v.source === runsPrefix || v.source.startsWith(`${runsPrefix}/`)) {
    out.source = `runs:/${mapped.runId}${v.source.slice(runsPrefix.length)}`
  } else if (v.source === oldRoot || v.source.startsWith(`${oldRoot}/`)) {
    out.source = `${mapped.artifactUri.replace(/\/+$/, '')}${v.source.slice(oldRoot.length)}`
  } else if (v.source.startsWith('models:/m-')) {
    out.source = mapped.artifactUri
    return { version: out, warning: `logged-model source '${v.source}' replaced by the run's artifact root` }
  }
  return { version: out }
}
