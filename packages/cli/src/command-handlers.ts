import { experimentsCommand } from './commands/experiments.ts'

/** Handlers of the table's commands that are not wired in main.ts by hand (server, gc, completion). */
export const TABLE_COMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  experiments: experimentsCommand,
}
