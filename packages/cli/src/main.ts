import { TABLE_COMMANDS, lazy } from './command-handlers.ts'
import { commandList } from './command-table.ts'
import { VERSION } from './version.ts'

// Every command's module loads only when it runs: `logbook runs list` never loads the server.
const server = lazy(() => import('./commands/server.ts'), (m) => m.serverCommand)
const COMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  server,
  ui: server,
  gc: lazy(() => import('./commands/gc.ts'), (m) => m.gcCommand),
  ...TABLE_COMMANDS,
  completion: lazy(() => import('./commands/completion.ts'), (m) => (argv) => m.completionCommand(argv, Object.keys(COMMANDS))),
  export: lazy(() => import('./commands/export.ts'), (m) => m.exportCommand),
  import: lazy(() => import('./commands/import.ts'), (m) => m.importCommand),
  'import-mlflow': lazy(() => import('./commands/import-mlflow.ts'), (m) => m.importMlflowCommand),
  demo: lazy(() => import('./commands/demo.ts'), (m) => m.demoCommand),
}

/** Commands with their own parsers (not in the command table), for `logbook --help`. */
const TRANSFER_COMMANDS = {
  export: 'Write experiments, runs, metrics, artifacts and models to a folder',
  import: 'Recreate an export folder on a Logbook server',
  'import-mlflow': 'Copy everything from an MLflow tracking server into Logbook',
  demo: 'Serve a store filled with realistic demo runs (or seed a running server)',
}

const HELP = `Usage: logbook <command> [options]

Commands:
${commandList(TRANSFER_COMMANDS)}

Run 'logbook <command> --help' for a command's options.
`

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv
  if (name === '--version' || name === '-V') {
    process.stdout.write(`${VERSION}\n`)
    return 0
  }
  if (!name || name === '--help' || name === '-h') {
    process.stdout.write(HELP)
    return name ? 0 : 2
  }
  const command = COMMANDS[name]
  if (!command) {
    process.stderr.write(`Unknown command '${name}'.\n${HELP}`)
    return 2
  }
  return command(rest)
}

/** Exit codes: 0 success, 1 failure, 2 bad usage (unknown command or option, malformed value). */
function isUsageError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code
  return (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) || (err instanceof Error && err.message.startsWith('Invalid '))
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  async (err: unknown) => {
    // Loaded here, not at start-up: @logbook/core is most of the time of `logbook --help`.
    const { isMlflowError } = await import('@logbook/core')
    const message = isMlflowError(err) || isUsageError(err) ? (err as Error).message : String(err instanceof Error ? err.stack : err)
    process.stderr.write(`logbook: ${message}\n`)
    process.exit(isUsageError(err) ? 2 : 1)
  },
)
