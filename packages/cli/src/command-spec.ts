/** One option of a command: the single source for parsing, `--help` and shell completion. */
export interface OptionSpec {
  /** Long name without the dashes. */
  name: string
  short?: string
  type: 'string' | 'boolean'
  /** May be given several times. */
  multiple?: boolean
  required?: boolean
  /** Placeholder shown in help, e.g. `<id>`. */
  value?: string
  /** Allowed values (completed by the shells, checked by the parser). */
  choices?: readonly string[]
  default?: string
  /** Completion hint: the value is a file or folder path. */
  path?: boolean
  description: string
}

/** A leaf command (`runs list`) or a single-level command (`gc`). */
export interface LeafSpec {
  name: string
  summary: string
  description?: string
  options: OptionSpec[]
  examples: string[]
}

/** A top-level command, optionally with subcommands. */
export interface CommandSpec extends Partial<LeafSpec> {
  name: string
  summary: string
  aliases?: string[]
  subcommands?: LeafSpec[]
}

/** `--tracking-uri`, shared by every command that talks to a server. */
export const TRACKING_URI: OptionSpec = {
  name: 'tracking-uri',
  type: 'string',
  value: '<url>',
  description:
    'Tracking server (default: $LOGBOOK_TRACKING_URI, $MLFLOW_TRACKING_URI, http://127.0.0.1:5000)',
}

export const HELP_OPTION: OptionSpec = {
  name: 'help',
  short: 'h',
  type: 'boolean',
  description: 'Show this help',
}

export const OUTPUT_FORMATS = ['table', 'json', 'csv'] as const
export type OutputFormat = (typeof OUTPUT_FORMATS)[number]

/** `--output table|json|csv` (or a narrower list). */
export function outputOption(choices: readonly string[] = OUTPUT_FORMATS, def = 'table'): OptionSpec {
  return {
    name: 'output',
    short: 'o',
    type: 'string',
    value: `<${choices.join('|')}>`,
    choices,
    default: def,
    description: `Output format (default ${def})`,
  }
}

export const VIEW_OPTION: OptionSpec = {
  name: 'view',
  type: 'string',
  value: '<active|deleted|all>',
  choices: ['active', 'deleted', 'all'],
  default: 'active',
  description: 'Which lifecycle stage to show (default active)',
}

/** The usage line and option list of a leaf command, as printed by `--help`. */
export function formatHelp(path: string, spec: LeafSpec): string {
  const options = [...spec.options, HELP_OPTION]
  const lines = options.map((o) => {
    const flag = `${o.short ? `-${o.short}, ` : '    '}--${o.name}${o.value ? ` ${o.value}` : ''}`
    const notes = [o.required ? '(required)' : '', o.multiple ? '(repeatable)' : '']
    return `  ${flag.padEnd(36)} ${[o.description, ...notes].filter(Boolean).join(' ')}`
  })
  const parts = [`Usage: logbook ${path} [options]`, '', spec.description ?? spec.summary, '', 'Options:', ...lines]
  if (spec.examples.length > 0) parts.push('', 'Examples:', ...spec.examples.map((e) => `  ${e}`))
  return `${parts.join('\n')}\n`
}

/** Help of a command group: its subcommands. */
export function formatGroupHelp(spec: CommandSpec): string {
  const subs = spec.subcommands ?? []
  const width = Math.max(...subs.map((s) => s.name.length)) + 4
  const lines = subs.map((s) => `  ${s.name.padEnd(width)}${s.summary}`)
  return (
    `Usage: logbook ${spec.name} <subcommand> [options]\n\n${spec.summary}\n\nSubcommands:\n` +
    `${lines.join('\n')}\n\nRun 'logbook ${spec.name} <subcommand> --help' for its options and examples.\n`
  )
}
