import { parseArgs } from 'node:util'
import { collectGarbage } from '@logbook/server'
import { parseDuration } from '../duration.ts'
import { STORAGE_HELP, STORAGE_OPTIONS, openStorage } from '../storage-options.ts'

const HELP = `Usage: logbook gc [options]

Permanently delete runs, experiments and logged models that are in the deleted state, together
with their artifacts. Afterwards a deleted experiment's name can be used again. Run it against the
same storage the server uses (it may run while the server is up).

Options:
${STORAGE_HELP}
  --older-than <age>               Only what was deleted longer ago than this (30d, 12h, 1d2h30m)
  --run-ids <id,id,...>            Only these runs (each must be deleted)
  --experiment-ids <id,id,...>     Only these experiments (each must be deleted)
  -h, --help                       Show this help

Examples:
  logbook gc
  logbook gc --older-than 30d
  logbook gc --experiment-ids 3,4 --backend-store-uri postgresql://logbook@db/logbook \\
             --artifacts-destination s3://ml-artifacts/logbook
`

const list = (v: string | undefined) => v?.split(',').map((s) => s.trim()).filter(Boolean)

/** `logbook gc`: permanent deletion of soft-deleted data, with progress on stderr. */
export async function gcCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      ...STORAGE_OPTIONS,
      'older-than': { type: 'string' },
      'run-ids': { type: 'string' },
      'experiment-ids': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  if (values.help) {
    process.stdout.write(HELP)
    return 0
  }
  const olderThan = values['older-than'] === undefined ? undefined : parseDuration(values['older-than'])
  const { store, artifacts } = await openStorage(values)
  try {
    const result = await collectGarbage(
      store,
      artifacts,
      {
        deletedBefore: olderThan === undefined ? undefined : Date.now() - olderThan,
        runIds: list(values['run-ids']),
        experimentIds: list(values['experiment-ids']),
      },
      (done, total) => process.stderr.write(`\rgc: ${done}/${total}`),
    )
    process.stderr.write('\n')
    process.stdout.write(
      `Removed ${result.runIds.length} run(s), ${result.experimentIds.length} experiment(s), ` +
        `${result.loggedModelIds.length} logged model(s).\n`,
    )
    for (const uri of result.skippedArtifactLocations) {
      process.stdout.write(`Left alone (outside the artifact root): ${uri}\n`)
    }
    return 0
  } finally {
    await store.close()
  }
}
