import { parseArgs } from 'node:util'
import { Progress } from '../output/progress.ts'
import { UsageError, runCommand, summary } from '../transfer/command-support.ts'
import { connect, trackingUri } from '../transfer/connect.ts'
import { FolderSource } from '../transfer/folder-source.ts'
import { ServerSink } from '../transfer/server-sink.ts'
import { transfer } from '../transfer/transfer.ts'

const HELP = `Usage: logbook import --src <folder> [--experiment-name-prefix <p>] [--merge]

Recreate the contents of an export folder (written by 'logbook export') on a Logbook server:
experiments with their tags, runs with their original start/end times, status, user, params, tags
(system tags included; mlflow.parentRunId points at the new parent), dataset inputs, every metric
point (steps, timestamps, NaN and infinities kept), artifacts (uploaded through the artifact proxy),
logged models with their files, and registered models with versions (sources pointed at the new
runs and logged models), tags, stages and aliases.
Runs get new ids. The experiment 'Default' (id 0) goes into the target's own Default experiment.

Not idempotent: every import creates new runs. Importing the same folder twice fails on the
experiment names; with --merge it would add a second copy of every run. To retry a failed import,
delete (and 'logbook gc') what it created, or import again with a new --experiment-name-prefix.

Options:
  --tracking-uri <url>            Logbook server to write (default: LOGBOOK_TRACKING_URI or MLFLOW_TRACKING_URI)
  --src <folder>                  Export folder to read
  --experiment-name-prefix <p>    Prepend <p> to every experiment name
  --merge                         Add runs to existing experiments (and versions to existing models)
                                  of the same name instead of failing
  --quiet                         No progress line
  -h, --help                      Show this help
`

/** \`logbook import\`: an export folder into a Logbook server. */
export function importCommand(argv: string[]): Promise<number> {
  return runCommand('import', async () => {
    const { values } = parseArgs({
      args: argv,
      options: {
        'tracking-uri': { type: 'string' },
        src: { type: 'string' },
        'experiment-name-prefix': { type: 'string' },
        merge: { type: 'boolean' },
        quiet: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    })
    if (values.help) {
      process.stdout.write(HELP)
      return 0
    }
    if (!values.src) throw new UsageError('--src <folder> is required')
    const url = trackingUri(values['tracking-uri'])
    if (!url) throw new UsageError('--tracking-uri is required (or set LOGBOOK_TRACKING_URI)')
    const source = await FolderSource.open(values.src)
    const client = await connect(url, 'tracking server')
    const sink = new ServerSink(client, {
      prefix: values['experiment-name-prefix'],
      merge: values.merge,
    })
    const counts = await transfer(source, sink, values.quiet ? undefined : new Progress('import', { noun: 'runs' }))
    for (const w of sink.warnings) process.stderr.write(`warning: ${w}\n`)
    process.stdout.write(summary(`Imported into ${url}:`, counts))
    return 0
  })
}
