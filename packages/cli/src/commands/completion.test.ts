import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { requireComponent } from '../../../store/src/testing/require-component.ts'
import { COMMAND_TABLE } from '../command-table.ts'
import { runCli } from '../testing/run-cli.ts'

/** Top-level command names as `logbook --help` lists them (including ones outside the table). */
function helpCommands(help: string): string[] {
  const block = help.split('Commands:\n')[1]?.split('\n\n')[0] ?? ''
  return block.split('\n').map((l) => l.trim().split(/\s+/)[0] ?? '').filter(Boolean)
}

describe('logbook completion', () => {
  it('prints bash, zsh and fish scripts naming every command, subcommand and option', async () => {
    const [help, bash, zsh, fish, bad] = await Promise.all([
      runCli(['--help']),
      runCli(['completion', 'bash']),
      runCli(['completion', 'zsh']),
      runCli(['completion', 'fish']),
      runCli(['completion', 'powershell']),
    ])
    const commands = helpCommands(help.stdout)
    expect(commands).toEqual(expect.arrayContaining(['server', 'gc', 'experiments', 'runs', 'metrics', 'artifacts', 'db', 'completion']))
    for (const script of [bash, zsh, fish]) {
      expect(script.code).toBe(0)
      for (const name of commands) expect(script.stdout).toContain(name)
      for (const command of COMMAND_TABLE) {
        for (const sub of command.subcommands ?? []) {
          expect(script.stdout).toContain(sub.name)
          for (const option of sub.options) expect(script.stdout).toContain(option.name)
        }
      }
    }
    expect(bash.stdout).toContain('complete -o default -F _logbook logbook')
    expect(bash.stdout).toMatch(/'runs list'\)\n\s+case "\$prev" in\n(.*\n)*?\s+--view\) COMPREPLY=\( \$\(compgen -W 'active deleted all'/)
    expect(zsh.stdout).toMatch(/^#compdef logbook\n/)
    expect(fish.stdout).toContain("complete -c logbook -n '__fish_seen_subcommand_from runs; and __fish_seen_subcommand_from list' -l filter -s f -x")

    const syntax = spawnSync('bash', ['-n'], { input: bash.stdout })
    expect(syntax.status, syntax.stderr.toString()).toBe(0)
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain("Unknown subcommand 'powershell'")
  }, 300_000)

  it("covers every option that 'server --help' and 'gc --help' print (they parse their own options)", async () => {
    const [server, gc, bash] = await Promise.all([runCli(['server', '--help']), runCli(['gc', '--help']), runCli(['completion', 'bash'])])
    for (const [name, help] of [['server', server.stdout], ['gc', gc.stdout]] as const) {
      const block = bash.stdout.split(`    '${name}')\n`)[1]?.split(' ;;\n')
      const offered = block?.find((part) => part.includes('opts=')) ?? ''
      const flags = [...new Set(help.match(/--[a-z][a-z-]+/g) ?? [])]
      expect(flags.length).toBeGreaterThan(3)
      for (const flag of flags) expect(offered, `${name} ${flag}`).toContain(flag)
    }
  }, 300_000)

  it('completes words when sourced into bash', async () => {
    const bash = await runCli(['completion', 'bash'])
    const complete = (line: string) => {
      const words = line.split(' ')
      const script = `${bash.stdout}\nCOMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _logbook; echo "\${COMPREPLY[*]}"`
      const res = spawnSync('bash', ['-c', script])
      expect(res.status, res.stderr.toString()).toBe(0)
      return res.stdout.toString().trim().split(' ')
    }
    expect(complete('logbook ru')).toEqual(['runs'])
    expect(complete('logbook runs ')).toEqual(['list', 'search', 'describe', 'delete', 'restore'])
    expect(complete('logbook runs list --vi')).toEqual(['--view'])
    expect(complete('logbook runs list --view d')).toEqual(['deleted'])
    expect(complete('logbook db upgrade --b')).toEqual(['--backend-store-uri'])
  }, 300_000)
})

const has = (shell: string) => spawnSync(shell, ['-c', 'exit 0']).status === 0
const fishReady = requireComponent('fish', has('fish'), 'fish is not installed (apt-get install fish)')
const zshReady = requireComponent('zsh', has('zsh'), 'zsh is not installed (apt-get install zsh)')

describe('logbook completion in fish and zsh', () => {
  it.skipIf(!fishReady)('completes words when sourced into fish', async () => {
    const fish = await runCli(['completion', 'fish'])
    const dir = mkdtempSync(join(tmpdir(), 'logbook-fish-'))
    try {
      const file = join(dir, 'logbook.fish')
      writeFileSync(file, fish.stdout)
      expect(spawnSync('fish', ['-n', file]).status).toBe(0)
      const complete = (line: string) => {
        const res = spawnSync('fish', ['-c', `source ${file}; complete -C '${line}'`], { env: { ...process.env, HOME: dir } })
        expect(res.status, res.stderr.toString()).toBe(0)
        return res.stdout.toString().trim().split('\n').map((l) => l.split('\t')[0])
      }
      expect(complete('logbook ru')).toEqual(['runs'])
      expect(complete('logbook runs ')).toEqual(['delete', 'describe', 'list', 'restore', 'search'])
      expect(complete('logbook runs list --vi')).toEqual(['--view'])
      expect(complete('logbook runs list --view ')).toEqual(['active', 'all', 'deleted'])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }, 300_000)

  it.skipIf(!zshReady)('loads into zsh\'s completion system as the completer of logbook', async () => {
    const zsh = await runCli(['completion', 'zsh'])
    const dir = mkdtempSync(join(tmpdir(), 'logbook-zsh-'))
    try {
      const file = join(dir, '_logbook')
      writeFileSync(file, zsh.stdout)
      expect(spawnSync('zsh', ['-n', file]).status).toBe(0)
      const script = `autoload -Uz compinit && compinit -u -d ${dir}/.zcompdump && source ${file} && print -- $_comps[logbook]`
      const res = spawnSync('zsh', ['-f', '-c', script], { env: { ...process.env, HOME: dir } })
      expect(res.stderr.toString()).toBe('')
      expect(res.stdout.toString().trim()).toBe('_logbook')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }, 300_000)
})
