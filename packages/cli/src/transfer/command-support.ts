/** What the three transfer commands share: usage errors (exit 2), failures (exit 1), the summary. */
import type { TransferCounts } from './model.ts'

/** A bad flag or flag combination: the command prints it with its help hint and exits 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'UsageError'
  }
}

/** Run a command body: usage mistakes exit 2, any failure prints one line and exits 1. */
export async function runCommand(name: string, body: () => Promise<number>): Promise<number> {
  try {
    return await body()
  } catch (e) {
    const code = (e as { code?: unknown } | null)?.code
    if (e instanceof UsageError || (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS'))) {
      process.stderr.write(`logbook ${name}: ${(e as Error).message}\nRun 'logbook ${name} --help'.\n`)
      return 2
    }
    process.stderr.write(`logbook ${name}: ${e instanceof Error ? e.message : String(e)}\n`)
    if (process.env.LOGBOOK_DEBUG) process.stderr.write(`${(e as Error).stack ?? ''}\n`)
    return 1
  }
}

/** One line saying what a transfer carried. */
export function summary(verb: string, counts: TransferCounts): string {
  const mb = (counts.artifactBytes / 1e6).toFixed(1)
  return (
    `${verb} ${counts.experiments} experiment(s), ${counts.runs} run(s), ` +
    `${counts.loggedModels} logged model(s), ` +
    `${counts.metricPoints} metric point(s), ${counts.artifacts} artifact file(s) (${mb} MB), ` +
    `${counts.models} registered model(s) with ${counts.modelVersions} version(s).\n`
  )
}
