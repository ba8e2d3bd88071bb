import { parentPath, parseArtifactUri, type ArtifactStore, type SafePath } from '@logbook/artifacts'
import { isMlflowError } from '@logbook/core'
import type { GcSelection, LogbookStore } from '@logbook/store'

/** What one garbage collection removed, and artifact locations it left alone. */
export interface GcResult {
  runIds: string[]
  experimentIds: string[]
  loggedModelIds: string[]
  /** Locations outside this server's artifact root: never touched (they are not ours to delete). */
  skippedArtifactLocations: string[]
}

/** The folder that holds a run's or model's `.../artifacts` folder, so nothing empty is left behind. */
function ownedFolder(path: SafePath): SafePath {
  return path.endsWith('/artifacts') ? parentPath(path) : path
}

/**
 * Permanently remove deleted runs, experiments and logged models: artifacts first (so a failure
 * leaves metadata to retry with), then metadata. Only locations inside the artifact root are deleted.
 */
export async function collectGarbage(
  store: LogbookStore,
  artifacts: ArtifactStore | undefined,
  selection: GcSelection,
  onProgress: (done: number, total: number) => void = () => {},
): Promise<GcResult> {
  const found = await store.findGcCandidates(selection)
  const result: GcResult = { runIds: [], experimentIds: [], loggedModelIds: [], skippedArtifactLocations: [] }
  const total = found.runs.length + found.experiments.length + found.loggedModels.length
  let done = 0
  const removeArtifacts = async (uri: string) => {
    let path: SafePath
    try {
      path = parseArtifactUri(uri)
    } catch (e) {
      if (!isMlflowError(e)) throw e
      result.skippedArtifactLocations.push(uri)
      return
    }
    if (artifacts) await artifacts.delete(ownedFolder(path))
    else result.skippedArtifactLocations.push(uri)
  }
  for (const run of found.runs) {
    await removeArtifacts(run.artifactUri)
    await store.purgeRun(run.runId)
    result.runIds.push(run.runId)
    onProgress(++done, total)
  }
  for (const model of found.loggedModels) {
    await removeArtifacts(model.artifactLocation)
    await store.purgeLoggedModel(model.modelId)
    result.loggedModelIds.push(model.modelId)
    onProgress(++done, total)
  }
  for (const exp of found.experiments) {
    await removeArtifacts(exp.artifactLocation)
    await store.purgeExperiment(exp.experimentId)
    result.experimentIds.push(exp.experimentId)
    onProgress(++done, total)
  }
  return result
}
