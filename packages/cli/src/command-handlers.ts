type Handler = (argv: string[]) => Promise<number>

/** Load a command's module only when it runs, so `logbook runs list` does not load the server. */
export const lazy =
  <M>(load: () => Promise<M>, pick: (m: M) => Handler): Handler =>
  async (argv) =>
    pick(await load())(argv)

/** Handlers of the table's commands that are not wired in main.ts by hand (server, gc, completion). */
export const TABLE_COMMANDS: Record<string, Handler> = {
  experiments: lazy(() => import('./commands/experiments.ts'), (m) => m.experimentsCommand),
  runs: lazy(() => import('./commands/runs.ts'), (m) => m.runsCommand),
  metrics: lazy(() => import('./commands/metrics.ts'), (m) => m.metricsCommand),
  artifacts: lazy(() => import('./commands/artifacts.ts'), (m) => m.artifactsCommand),
  db: lazy(() => import('./commands/db.ts'), (m) => m.dbCommand),
}
