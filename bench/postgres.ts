/** A throwaway PostgreSQL cluster (scripts/pg-cluster.ts) with one database per server. */
import { execFile } from 'node:child_process'
import { chmodSync, mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

function run(file: string, args: string[], cwd: string, timeoutMs = 180_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { cwd, timeout: timeoutMs }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${file} ${args.join(' ')} failed: ${error.message}\n${stderr}`))
      else resolve(stdout)
    })
  })
}

export interface PgCluster {
  /** URL of the `logbook` database created by the cluster script. */
  url: string
  version: string
  /** Creates another database and returns its URL. */
  createDatabase(name: string): Promise<string>
  /** pid of the postmaster, for CPU accounting. */
  pid(): number | undefined
  stop(): Promise<void>
}

/** `stateDir` must be short (unix socket path) and enterable by the postgres OS user. */
export async function startPgCluster(root: string, stateDir: string): Promise<PgCluster> {
  mkdirSync(stateDir, { recursive: true })
  chmodSync(stateDir, 0o755)
  const tsx = join(root, 'node_modules/.bin/tsx')
  const out = await run(tsx, ['scripts/pg-cluster.ts', 'start', stateDir], root)
  const url = out.trim().split('\n').pop() ?? ''
  if (!url.startsWith('postgresql://')) throw new Error(`pg-cluster printed no URL: ${out}`)
  const psql = (sql: string) =>
    run('psql', [url, '-v', 'ON_ERROR_STOP=1', '-tAc', sql], root, 60_000)
  const version = (await psql('SHOW server_version')).trim()
  return {
    url,
    version,
    async createDatabase(name: string) {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bad database name ${name}`)
      await psql(`CREATE DATABASE ${name}`)
      return url.replace(/\/[^/]*$/, `/${name}`)
    },
    pid() {
      try {
        const text = readFileSync(join(stateDir, 'postgres', 'data', 'postmaster.pid'), 'utf8')
        return Number(text.split('\n')[0]) || undefined
      } catch {
        return undefined
      }
    },
    async stop() {
      await run(tsx, ['scripts/pg-cluster.ts', 'stop', stateDir], root)
    },
  }
}
