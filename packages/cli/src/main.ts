import { isMlflowError } from '@logbook/core'
import { serverCommand } from './commands/server.ts'
import { VERSION } from './version.ts'

const COMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  server: serverCommand,
  ui: serverCommand,
}

const HELP = `Usage: logbook <command> [options]

Commands:
  server    Start the tracking server (alias: ui)

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

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`logbook: ${isMlflowError(err) ? err.message : String(err instanceof Error ? err.stack : err)}\n`)
    process.exit(1)
  },
)
