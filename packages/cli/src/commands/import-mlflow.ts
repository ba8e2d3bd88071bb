import { parseArgs } from 'node:util'
import { Progress } from '../output/progress.ts'
import { UsageError, runCommand, summary } from '../transfer/command-support.ts'
import { connect, trackingUri } from '../transfer/connect.ts'
import { ServerSink } from '../transfer/server-sink.ts'
import { ServerSource } from '../transfer/server-source.ts'
import { transfer } from '../transfer/transfer.ts'

const HELP = `Usage: logbook import-mlflow --from <MLflow URL> [--experiment-name <name>...]

Copy experiments, runs (params, tags, dataset inputs, every metric point, artifacts), MLflow 3 logged
models (with their files) and registered models (versions, tags, stages, aliases) from a running
MLflow tracking server into Logbook, through both servers' REST APIs. It is the same reader and writer
as 'logbook export' + 'logbook import', with MLflow's server as the source. The MLflow server must
serve artifacts (its default), or the files are not reachable.

Not idempotent (see 'logbook import --help'): running it twice fails on the experiment names.

Options:
  --from <url>                    MLflow tracking server to read
  --tracking-uri <url>            Logbook server to write (default: LOGBOOK_TRACKING_URI)
  --experiment-name <name>        Copy only this experiment (repeatable; default: all, and all models)
  --experiment-name-prefix <p>    Prepend <p> to every experiment name
  --merge                         Add runs to existing experiments of the same name instead of failing
  --quiet                         No progress line
  -h, --help                      Show this help

Credentials for the MLflow server: MLFLOW_TRACKING_TOKEN or MLFLOW_TRACKING_USERNAME/PASSWORD;
for the Logbook server: LOGBOOK_TRACKING_TOKEN.
`

/** \`logbook import-mlflow\`: MLflow's server into a Logbook server. */
export function importMlflowCommand(argv: string[]): Promise<number> {
  return runCommand('import-mlflow', async () => {
    const { values } = parseArgs({
      args: argv,
      options: {
        from: { type: 'string' },
        'tracking-uri': { type: 'string' },
        'experiment-name': { type: 'string', multiple: true },
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
    if (!values.from) throw new UsageError('--from <MLflow URL> is required')
    const url = values['tracking-uri'] ?? trackingUri(undefined, { LOGBOOK_TRACKING_URI: process.env.LOGBOOK_TRACKING_URI })
    if (!url) throw new UsageError('--tracking-uri is required (or set LOGBOOK_TRACKING_URI)')
    const from = await connect(values.from, 'MLflow server')
    // MLFLOW_TRACKING_* belong to the MLflow side; Logbook's token comes from LOGBOOK_TRACKING_TOKEN.
    const to = await connect(url, 'Logbook server', { MLFLOW_TRACKING_TOKEN: process.env.LOGBOOK_TRACKING_TOKEN })
    const source = new ServerSource(from, { names: values['experiment-name'] ?? [] })
    const sink = new ServerSink(to, { prefix: values['experiment-name-prefix'], merge: values.merge })
    const counts = await transfer(source, sink, values.quiet ? undefined : new Progress('import-mlflow', { noun: 'runs' }))
    for (const w of sink.warnings) process.stderr.write(`warning: ${w}\n`)
    process.stdout.write(summary(`Copied from ${values.from} into ${url}:`, counts))
    return 0
  })
}
