/** What `logbook gc` may remove: soft-deleted runs, experiments and logged models. */
export interface GcCandidates {
  runs: { runId: string; artifactUri: string }[]
  experiments: { experimentId: string; artifactLocation: string }[]
  loggedModels: { modelId: string; artifactLocation: string }[]
}

/** Selection for gc: only deleted entities, optionally older than a cut-off or limited to ids. */
export interface GcSelection {
  /** Only entities deleted before this time (ms since epoch). */
  deletedBefore?: number
  runIds?: string[]
  experimentIds?: string[]
}

/** Permanent deletion of metadata; artifacts are the caller's (server/src/gc.ts) to remove first. */
export interface GcStore {
  findGcCandidates(selection: GcSelection): Promise<GcCandidates>
  purgeRun(runId: string): Promise<void>
  purgeLoggedModel(modelId: string): Promise<void>
  /** Remove an experiment with all its runs, models and datasets; its name becomes free again. */
  purgeExperiment(experimentId: string): Promise<void>
}
