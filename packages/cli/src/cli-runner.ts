import { parseArgs } from 'node:util'
import { isMlflowError } from '@logbook/core'
import { HELP_OPTION, formatGroupHelp, formatHelp } from './command-spec.ts'
import type { CommandSpec, LeafSpec, OptionSpec } from './command-spec.ts'

/** A mistake on the command line (exit code 2). */
export class UsageError extends Error {
  readonly code = 'ERR_LOGBOOK_USAGE'
}

type Raw = Record<string, string | boolean | (string | boolean)[] | undefined>

/** Parsed options of one command, read through typed accessors that check the spec. */
export class Args {
  constructor(
    private readonly raw: Raw,
    private readonly specs: OptionSpec[],
  ) {}

  /** A string option (its default when absent). */
  string(name: string): string | undefined {
    const v = this.raw[name]
    return typeof v === 'string' ? v : undefined
  }

  /** A string option that must be present. */
  required(name: string): string {
    const v = this.string(name)
    if (v === undefined || v === '') throw new UsageError(`Missing required option '--${name}'`)
    return v
  }

  /** A repeatable option; each occurrence may also hold a comma-separated list. */
  list(name: string, splitCommas = false): string[] {
    const v = this.raw[name]
    const all = (Array.isArray(v) ? v : v === undefined ? [] : [v]).map(String)
    return splitCommas ? all.flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean) : all
  }

  flag(name: string): boolean {
    return this.raw[name] === true
  }

  /** A positive integer option. */
  int(name: string): number | undefined {
    const v = this.string(name)
    if (v === undefined) return undefined
    if (!/^\d+$/.test(v) || Number(v) < 1) {
      throw new UsageError(`Invalid --${name} '${v}': expected a positive integer`)
    }
    return Number(v)
  }

  /** Validate every option that declares `choices` and every required option. */
  check(): void {
    for (const spec of this.specs) {
      const v = this.raw[spec.name]
      if (spec.required && (v === undefined || v === '')) {
        throw new UsageError(`Missing required option '--${spec.name}'`)
      }
      if (spec.choices && typeof v === 'string' && !spec.choices.includes(v)) {
        throw new UsageError(`Invalid --${spec.name} '${v}': expected one of ${spec.choices.join(', ')}`)
      }
    }
  }
}

function parseOptions(spec: LeafSpec, argv: string[]): Args {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean; default?: string }> = {}
  for (const o of [...spec.options, HELP_OPTION]) {
    // parseArgs rejects keys that are present but undefined.
    const option: (typeof options)[string] = { type: o.type }
    if (o.short) option.short = o.short
    if (o.multiple) option.multiple = true
    if (o.default !== undefined) option.default = o.default
    options[o.name] = option
  }
  const { values } = parseArgs({ args: argv, options, strict: true, allowPositionals: false })
  return new Args(values as Raw, spec.options)
}

function isUsage(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code
  return e instanceof UsageError || (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS'))
}

/** Run one leaf command: parse, print help, and map failures to messages and exit codes. */
export async function runLeaf(
  path: string,
  spec: LeafSpec,
  argv: string[],
  handler: (args: Args) => Promise<number | void>,
): Promise<number> {
  try {
    const args = parseOptions(spec, argv)
    if (args.flag('help')) {
      process.stdout.write(formatHelp(path, spec))
      return 0
    }
    args.check()
    return (await handler(args)) ?? 0
  } catch (e) {
    if (isUsage(e)) {
      process.stderr.write(`logbook: ${(e as Error).message}\nRun 'logbook ${path} --help' for usage.\n`)
      return 2
    }
    if (isMlflowError(e)) {
      process.stderr.write(`logbook: ${e.code}: ${e.message}\n`)
      return 1
    }
    if ((e as { name?: unknown } | null)?.name === 'NetworkError') {
      process.stderr.write(`logbook: ${(e as Error).message} (is the tracking server running? see --tracking-uri)\n`)
      return 1
    }
    throw e
  }
}

/** Dispatch `logbook <group> <subcommand> ...` to the handler of that subcommand. */
export function runGroup(
  spec: CommandSpec,
  handlers: Record<string, (args: Args) => Promise<number | void>>,
  argv: string[],
): Promise<number> {
  const [name, ...rest] = argv
  if (name === '--help' || name === '-h') {
    process.stdout.write(formatGroupHelp(spec))
    return Promise.resolve(0)
  }
  const sub = spec.subcommands?.find((s) => s.name === name)
  const handler = name === undefined ? undefined : handlers[name]
  if (!sub || !handler) {
    const what = name === undefined ? 'Missing subcommand' : `Unknown subcommand '${name}'`
    process.stderr.write(`logbook: ${what} for '${spec.name}'.\n${formatGroupHelp(spec)}`)
    return Promise.resolve(2)
  }
  return runLeaf(`${spec.name} ${sub.name}`, sub, rest, handler)
}
