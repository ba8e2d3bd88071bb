import { HELP_OPTION } from '../command-spec.ts'
import type { CommandSpec, LeafSpec, OptionSpec } from '../command-spec.ts'
import { runGroup } from '../cli-runner.ts'
import { COMMAND_TABLE, COMPLETION } from '../command-table.ts'

/** A completion target: the words that select it ('runs list' or 'gc') and its spec. */
interface Target {
  key: string
  leaf: LeafSpec
}

/** Commands of the table plus names registered in main.ts without a table entry (no options known). */
function commandsOf(names: readonly string[]): CommandSpec[] {
  const known = new Set(COMMAND_TABLE.flatMap((c) => [c.name, ...(c.aliases ?? [])]))
  const extra = names.filter((n) => !known.has(n)).map((name): CommandSpec => ({ name, summary: `logbook ${name}`, options: [], examples: [] }))
  const aliases = COMMAND_TABLE.flatMap((c) => (c.aliases ?? []).map((a) => ({ ...c, name: a, aliases: [] })))
  return [...COMMAND_TABLE, ...aliases, ...extra]
}

function targets(commands: CommandSpec[]): Target[] {
  return commands.flatMap((c): Target[] =>
    c.subcommands
      ? c.subcommands.map((leaf) => ({ key: `${c.name} ${leaf.name}`, leaf }))
      : [{ key: c.name, leaf: { name: c.name, summary: c.summary, options: c.options ?? [], examples: [] } }],
  )
}

const optionsOf = (leaf: LeafSpec): OptionSpec[] => [...leaf.options, HELP_OPTION]
const flags = (o: OptionSpec) => [`--${o.name}`, ...(o.short ? [`-${o.short}`] : [])]
const sq = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`

/** bash: `complete -F` with one case per command and subcommand. */
export function bashScript(commands: CommandSpec[]): string {
  const groups = commands.filter((c) => c.subcommands)
  const lines = [
    '# logbook completion for bash: source <(logbook completion bash)',
    '_logbook() {',
    '  local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}"',
    '  local cmd="${COMP_WORDS[1]}" key opts=""',
    '  if [[ $COMP_CWORD -eq 1 ]]; then',
    `    COMPREPLY=( $(compgen -W ${sq(commands.map((c) => c.name).join(' '))} -- "$cur") )`,
    '    return',
    '  fi',
    '  case "$cmd" in',
  ]
  for (const g of groups) {
    const subs = (g.subcommands ?? []).map((s) => s.name).join(' ')
    lines.push(`    ${g.name})`, `      if [[ $COMP_CWORD -eq 2 ]]; then COMPREPLY=( $(compgen -W ${sq(subs)} -- "$cur") ); return; fi`)
    lines.push('      key="$cmd ${COMP_WORDS[2]}" ;;')
  }
  lines.push('    *) key="$cmd" ;;', '  esac', '  case "$key" in')
  for (const t of targets(commands)) {
    lines.push(`    ${sq(t.key)})`, '      case "$prev" in')
    for (const o of optionsOf(t.leaf)) {
      const names = flags(o).join('|')
      if (o.choices) lines.push(`        ${names}) COMPREPLY=( $(compgen -W ${sq(o.choices.join(' '))} -- "$cur") ); return ;;`)
      else if (o.path) lines.push(`        ${names}) COMPREPLY=( $(compgen -f -- "$cur") ); return ;;`)
      else if (o.type === 'string') lines.push(`        ${names}) return ;;`)
    }
    lines.push('      esac', `      opts=${sq(optionsOf(t.leaf).map((o) => `--${o.name}`).join(' '))} ;;`)
  }
  lines.push('  esac', '  COMPREPLY=( $(compgen -W "$opts" -- "$cur") )', '}', 'complete -o default -F _logbook logbook', '')
  return lines.join('\n')
}

/** zsh: a native completion function (`_describe` for words, `_files` for paths). */
export function zshScript(commands: CommandSpec[]): string {
  const esc = (s: string) => s.replaceAll('\\', '\\\\').replaceAll(':', '\\:')
  const describe = (tag: string, items: [string, string][]) =>
    `local -a items; items=(${items.map(([n, d]) => sq(`${esc(n)}:${esc(d)}`)).join(' ')}); _describe -t ${tag} ${tag} items`
  const lines = [
    '#compdef logbook',
    '# logbook completion for zsh: source <(logbook completion zsh)',
    '_logbook() {',
    '  local cmd=${words[2]} prev=${words[CURRENT-1]} key',
    `  if (( CURRENT == 2 )); then ${describe('commands', commands.map((c) => [c.name, c.summary]))}; return; fi`,
    '  case $cmd in',
  ]
  for (const g of commands.filter((c) => c.subcommands)) {
    const subs = (g.subcommands ?? []).map((s): [string, string] => [s.name, s.summary])
    lines.push(`    ${g.name}) if (( CURRENT == 3 )); then ${describe('subcommands', subs)}; return; fi; key="$cmd \${words[3]}" ;;`)
  }
  lines.push('    *) key=$cmd ;;', '  esac', '  case $key in')
  for (const t of targets(commands)) {
    lines.push(`    ${sq(t.key)})`, '      case $prev in')
    for (const o of optionsOf(t.leaf)) {
      const names = flags(o).join('|')
      if (o.choices) lines.push(`        ${names}) compadd -- ${o.choices.join(' ')}; return ;;`)
      else if (o.path) lines.push(`        ${names}) _files; return ;;`)
      else if (o.type === 'string') lines.push(`        ${names}) _message ${sq(o.value ?? 'value')}; return ;;`)
    }
    lines.push('      esac', `      ${describe('options', optionsOf(t.leaf).map((o) => [`--${o.name}`, o.description]))} ;;`)
  }
  lines.push('  esac', '}', 'compdef _logbook logbook', '')
  return lines.join('\n')
}

/** fish: one `complete` line per command, subcommand and option. */
export function fishScript(commands: CommandSpec[]): string {
  const lines = ['# logbook completion for fish: logbook completion fish | source', 'complete -c logbook -f']
  for (const c of commands) lines.push(`complete -c logbook -n __fish_use_subcommand -a ${sq(c.name)} -d ${sq(c.summary)}`)
  for (const t of targets(commands)) {
    const [cmd, sub] = t.key.split(' ') as [string, string | undefined]
    const group = commands.find((c) => c.name === cmd)
    let cond = `__fish_seen_subcommand_from ${cmd}`
    if (sub && group?.subcommands) {
      const names = group.subcommands.map((s) => s.name).join(' ')
      lines.push(`complete -c logbook -n ${sq(`${cond}; and not __fish_seen_subcommand_from ${names}`)} -a ${sq(sub)} -d ${sq(t.leaf.summary)}`)
      cond = `${cond}; and __fish_seen_subcommand_from ${sub}`
    }
    for (const o of optionsOf(t.leaf)) {
      const short = o.short ? ` -s ${o.short}` : ''
      const value = o.choices ? ` -x -a ${sq(o.choices.join(' '))}` : o.path ? ' -r -F' : o.type === 'string' ? ' -x' : ''
      lines.push(`complete -c logbook -n ${sq(cond)} -l ${o.name}${short}${value} -d ${sq(o.description)}`)
    }
  }
  return `${lines.join('\n')}\n`
}

/** `logbook completion bash|zsh|fish`; `names` are the commands registered in main.ts. */
export function completionCommand(argv: string[], names: readonly string[]): Promise<number> {
  const commands = commandsOf(names)
  const print = (script: string) => async () => {
    process.stdout.write(script)
  }
  return runGroup(COMPLETION, { bash: print(bashScript(commands)), zsh: print(zshScript(commands)), fish: print(fishScript(commands)) }, argv)
}
