import { isMlflowError } from '@logbook/core'
import { TABLE_COMMANDS } from './command-handlers.ts'
import { commandList } from './command-table.ts'
import { completionCommand } from './commands/completion.ts'
import { demoCommand } from './commands/demo.ts'
import { exportCommand } from './commands/export.ts'
import { importCommand } from './commands/import.ts'
import { importMlflowCommand } from './commands/import-mlflow.ts'
import { gcCommand } from './commands/gc.ts'
import { serverCommand } from './commands/server.ts'
import { VERSION } from './version.ts'

const COMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  server: serverCommand,
  ui: serverCommand,
  gc: gcCommand,
  ...TABLE_COMMANDS,
  completion: (argv) => completionCommand(argv, Object.keys(COMMANDS)),
  export: exportCommand,
  import: importCommand,
  'import-mlflow': importMlflowCommand,
  demo: demoCommand,
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
  (err: unknown) => {
    const message = isMlflowError(err) || isUsageError(err) ? (err as Error).message : String(err instanceof Error ? err.stack : err)
    process.stderr.write(`logbook: ${message}\n`)
    process.exit(isUsageError(err) ? 2 : 1)
  },
)
