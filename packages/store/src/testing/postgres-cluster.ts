/**
 * Throwaway PostgreSQL clusters for tests, made from Debian's `postgresql` package: initdb into a
 * folder, pg_ctl start on 127.0.0.1 and a free port, one database `logbook`, then stop and delete.
 */
import { execFile } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { appendFile, chown, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { freePort } from './free-port.ts'

const DEBIAN_PG_ROOT = '/usr/lib/postgresql'
const STATE_FILE = 'cluster.json'
// A unix socket path (dir + '/.s.PGSQL.<port>') must fit in sockaddr_un.sun_path (108 bytes).
const MAX_SOCKET_DIR_LENGTH = 90

/** Options for {@link startPostgresCluster}. */
export interface PostgresClusterOptions {
  /** Folder to hold the cluster (created, must not hold one already); default: a new temp folder. */
  dir?: string
  /** Database created for the caller; default `logbook`. */
  database?: string
}

/** A running cluster; `stop()` shuts it down and deletes its folder. */
export interface PostgresCluster {
  url: string
  port: number
  dir: string
  stop(): Promise<void>
}

interface ClusterState {
  url: string
  port: number
  binDir: string
}

/** The newest `/usr/lib/postgresql/<ver>/bin` holding initdb and pg_ctl, or undefined. */
export function findPostgresBinDir(): string | undefined {
  if (!existsSync(DEBIAN_PG_ROOT)) return undefined
  const versions = readdirSync(DEBIAN_PG_ROOT)
    .filter((name) => /^\d+(\.\d+)?$/.test(name))
    .sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a))
  for (const version of versions) {
    const bin = join(DEBIAN_PG_ROOT, version, 'bin')
    if (existsSync(join(bin, 'initdb')) && existsSync(join(bin, 'pg_ctl'))) return bin
  }
  return undefined
}

function isRoot(): boolean {
  return process.getuid?.() === 0
}

/** uid and gid of the `postgres` OS user (created by Debian's postgresql package), if it exists. */
function postgresUser(): { uid: number; gid: number } | undefined {
  if (!existsSync('/etc/passwd')) return undefined
  for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
    const [name, , uid, gid] = line.split(':')
    if (name === 'postgres' && uid !== undefined && gid !== undefined) {
      return { uid: Number(uid), gid: Number(gid) }
    }
  }
  return undefined
}

/** True when a cluster can be started here: binaries present and, as root, a `postgres` user. */
export function postgresAvailable(): boolean {
  if (findPostgresBinDir() === undefined) return false
  if (!isRoot()) return true
  return postgresUser() !== undefined && existsSync('/usr/sbin/runuser')
}

/**
 * Runs a PostgreSQL binary (or, without binDir, a command on PATH); as root through
 * `runuser -u postgres` because initdb and postgres refuse to run as root.
 */
function runPg(
  binDir: string | undefined,
  tool: string,
  args: string[],
  cwd: string,
): Promise<string> {
  const path = binDir === undefined ? tool : join(binDir, tool)
  const file = isRoot() ? 'runuser' : path
  const argv = isRoot() ? ['-u', 'postgres', '--', path, ...args] : args
  return new Promise((resolvePromise, reject) => {
    execFile(file, argv, { cwd, timeout: 120_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${tool} ${args.join(' ')} failed: ${error.message}\n${stderr}`))
      else resolvePromise(stdout)
    })
  })
}

async function handOverToPostgresUser(dir: string): Promise<void> {
  const user = postgresUser()
  if (user === undefined) throw new Error('running as root but there is no `postgres` OS user')
  await chown(dir, user.uid, user.gid)
  await runPg(undefined, 'test', ['-w', dir, '-a', '-x', dir], tmpdir()).catch(() => {
    throw new Error(`the postgres OS user cannot enter ${dir}: make its parent folders o+x`)
  })
}

async function logTail(dir: string): Promise<string> {
  const text = await readFile(join(dir, 'postgres.log'), 'utf8').catch(() => '')
  return text.split('\n').slice(-30).join('\n')
}

/** Starts a new cluster; the caller must `stop()` it. Throws when PostgreSQL is not installed. */
export async function startPostgresCluster(
  opts: PostgresClusterOptions = {},
): Promise<PostgresCluster> {
  const binDir = findPostgresBinDir()
  if (binDir === undefined) throw new Error(`no PostgreSQL binaries under ${DEBIAN_PG_ROOT}/*/bin`)
  const dir =
    opts.dir === undefined ? await mkdtemp(join(tmpdir(), 'logbook-pg-')) : resolve(opts.dir)
  if (dir.length > MAX_SOCKET_DIR_LENGTH) {
    throw new Error(`cluster folder path too long for a unix socket (${dir.length} chars): ${dir}`)
  }
  await mkdir(dir, { recursive: true })
  if (existsSync(join(dir, STATE_FILE))) throw new Error(`a cluster already lives in ${dir}`)
  const dataDir = join(dir, 'data')
  const database = opts.database ?? 'logbook'
  try {
    if (isRoot()) await handOverToPostgresUser(dir)
    await runPg(
      binDir,
      'initdb',
      ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C'],
      dir,
    )
    const port = await freePort()
    // Settings go into postgresql.conf rather than `pg_ctl -o`, which passes them through a shell.
    await appendFile(
      join(dataDir, 'postgresql.conf'),
      `\nlisten_addresses = '127.0.0.1'\nport = ${port}\nunix_socket_directories = '${dir}'\n`,
    )
    await runPg(
      binDir,
      'pg_ctl',
      ['-D', dataDir, '-l', join(dir, 'postgres.log'), '-w', '-t', '60', 'start'],
      dir,
    )
    await runPg(
      binDir,
      'createdb',
      ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', database],
      dir,
    )
    const url = `postgresql://postgres@127.0.0.1:${port}/${database}`
    const state: ClusterState = { url, port, binDir }
    await writeFile(join(dir, STATE_FILE), JSON.stringify(state))
    return { url, port, dir, stop: () => stopPostgresCluster(dir) }
  } catch (error) {
    const tail = await logTail(dir)
    await stopPostgresCluster(dir).catch(() => undefined)
    await rm(dir, { recursive: true, force: true })
    const log = tail.trim() === '' ? '' : `\npostgres.log:\n${tail}`
    throw new Error(`${(error as Error).message}${log}`, { cause: error })
  }
}

/** Stops the cluster living in `dir` (`pg_ctl stop -m immediate`) and deletes the folder. */
export async function stopPostgresCluster(dir: string): Promise<void> {
  const dataDir = join(dir, 'data')
  if (existsSync(join(dataDir, 'postmaster.pid'))) {
    const state = await readFile(join(dir, STATE_FILE), 'utf8')
      .then((text) => JSON.parse(text) as ClusterState)
      .catch(() => undefined)
    const binDir = state?.binDir ?? findPostgresBinDir()
    if (binDir !== undefined) {
      await runPg(binDir, 'pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop'], dir)
    }
  }
  await rm(dir, { recursive: true, force: true })
}

/** The URL of the cluster living in `dir`, as written by {@link startPostgresCluster}. */
export async function postgresClusterUrl(dir: string): Promise<string> {
  const state = JSON.parse(await readFile(join(dir, STATE_FILE), 'utf8')) as ClusterState
  return state.url
}
