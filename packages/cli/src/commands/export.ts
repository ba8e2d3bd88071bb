import { parseArgs } from 'node:util'
import { Progress } from '../output/progress.ts'
import { UsageError, runCommand, summary } from '../transfer/command-support.ts'
import { connect, trackingUri } from '../transfer/connect.ts'
import { FolderSink } from '../transfer/folder-sink.ts'
import { ServerSource } from '../transfer/server-source.ts'
import { transfer } from '../transfer/transfer.ts'

const HELP = `Usage: logbook export --dest <folder> (--all | --experiment-id <id>... | --experiment-name <name>...)

Write experiments, their runs (info, params, tags, dataset inputs, every metric point, artifacts),
logged models (with files) and registered models (versions, tags, aliases) from a tracking server
(Logbook or MLflow) into a self-describing folder
(docs/export-format.md). Metric histories are streamed page by page, so any size fits in memory.
With selected experiments, only registered models that have a version from an exported run are
included; --all exports every model. Deleted experiments and runs are exported too (marked deleted).

Options:
  --tracking-uri <url>        Server to read (default: LOGBOOK_TRACKING_URI or MLFLOW_TRACKING_URI)
  --experiment-id <id>        Export this experiment (repeatable)
  --experiment-name <name>    Export the experiment of this name (repeatable)
  --all                       Export every experiment and every registered model
  --dest <folder>             Folder to create (must be missing or empty)
  --quiet                     No progress line
  -h, --help                  Show this help

Credentials: MLFLOW_TRACKING_TOKEN, or MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD.
`

/** \`logbook export\`: a tracking server's data into an export folder. */
export function exportCommand(argv: string[]): Promise<number> {
  return runCommand('export', async () => {
    const { values } = parseArgs({
      args: argv,
      options: {
        'tracking-uri': { type: 'string' },
        'experiment-id': { type: 'string', multiple: true },
        'experiment-name': { type: 'string', multiple: true },
        all: { type: 'boolean' },
        dest: { type: 'string' },
        quiet: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    })
    if (values.help) {
      process.stdout.write(HELP)
      return 0
    }
    const ids = values['experiment-id'] ?? []
    const names = values['experiment-name'] ?? []
    if (!values.dest) throw new UsageError('--dest <folder> is required')
    if (Boolean(values.all) === (ids.length + names.length > 0)) {
      throw new UsageError('give either --all or at least one --experiment-id/--experiment-name')
    }
    const url = trackingUri(values['tracking-uri'])
    if (!url) throw new UsageError('--tracking-uri is required (or set LOGBOOK_TRACKING_URI)')
    const client = await connect(url, 'tracking server')
    const source = new ServerSource(client, { ids, names })
    const sink = await FolderSink.create(values.dest, url)
    const counts = await transfer(source, sink, values.quiet ? undefined : new Progress('export', { noun: 'runs' }))
    process.stdout.write(summary(`Exported to ${values.dest}:`, counts))
    return 0
  })
}
