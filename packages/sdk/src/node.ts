import { execFile } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { hostname, userInfo } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { TAG_GIT_COMMIT, TAG_SOURCE_NAME, TAG_SOURCE_TYPE, TAG_USER } from '@logbook/core'
import { readLocalFiles } from './node/local-files.ts'
import { startSystemMetrics } from './node/system-metrics.ts'
import type { SystemMetricsOptions } from './node/system-metrics.ts'
import { setLocalFileReader } from './run.ts'
import type { Run } from './run.ts'
import { startRun as startBrowserRun } from './start-run.ts'
import type { StartRunOptions } from './start-run.ts'

export * from './index.ts'
export { SystemSampler, startSystemMetrics } from './node/system-metrics.ts'
export type { SystemMetricsOptions } from './node/system-metrics.ts'

setLocalFileReader(readLocalFiles)

/** Options of the Node `startRun`: the portable options plus automatic context capture. */
export interface NodeStartRunOptions extends StartRunOptions {
  /** Add source, git, user, host and package tags like MLflow's client (default true). */
  capture?: boolean
  /** End the run FAILED on an uncaught exception and FINISHED at normal exit (default true). */
  exitHandlers?: boolean
  /** Log CPU, memory, disk, network and GPU metrics under `system/` (default off; 10 s). */
  systemMetrics?: boolean | SystemMetricsOptions
}

function git(cwd: string, args: string[]): Promise<string | undefined> {
  return new Promise((done) => {
    execFile('git', args, { cwd, timeout: 5000 }, (error, stdout) =>
      done(error ? undefined : stdout.trim()),
    )
  })
}

async function nearestPackage(
  from: string,
): Promise<{ name?: string; version?: string } | undefined> {
  for (let dir = from; ; dir = dirname(dir)) {
    try {
      return JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as {
        name?: string
        version?: string
      }
    } catch {
      if (dirname(dir) === dir) return undefined
    }
  }
}

function currentUser(): string {
  try {
    return userInfo().username
  } catch {
    return process.env.USER ?? process.env.USERNAME ?? 'unknown'
  }
}

/** Tags describing where the run comes from: entry script, user, git state, host, Node, package. */
export async function captureContext(): Promise<Record<string, string>> {
  const script = process.argv[1] ? resolve(process.argv[1]) : undefined
  const cwd = script ? dirname(script) : process.cwd()
  const tags: Record<string, string> = {
    [TAG_SOURCE_TYPE]: 'LOCAL',
    [TAG_USER]: currentUser(),
    'logbook.host': hostname(),
    'logbook.node.version': process.version,
  }
  if (script) tags[TAG_SOURCE_NAME] = script
  const [commit, branch, status] = await Promise.all([
    git(cwd, ['rev-parse', 'HEAD']),
    git(cwd, ['rev-parse', '--abbrev-ref', 'HEAD']),
    git(cwd, ['status', '--porcelain']),
  ])
  if (commit) {
    tags[TAG_GIT_COMMIT] = commit
    if (branch) tags['mlflow.source.git.branch'] = branch
    if (status !== undefined) tags['logbook.git.dirty'] = String(status !== '')
  }
  const pkg = await nearestPackage(cwd)
  if (pkg?.name) tags['logbook.package.name'] = pkg.name
  if (pkg?.version) tags['logbook.package.version'] = pkg.version
  return tags
}

const liveRuns = new Set<Run>()
let handlersInstalled = false

/** How long exit paths wait for queued metrics before giving up (a dead server must not hang exit). */
const EXIT_DEADLINE_MS = 30_000

async function endLiveRuns(status: 'FINISHED' | 'FAILED' | 'KILLED'): Promise<void> {
  const runs = [...liveRuns].filter((run) => run.active)
  liveRuns.clear()
  let timer: ReturnType<typeof setTimeout> | undefined
  const deadline = new Promise<void>((done) => {
    timer = setTimeout(() => {
      process.stderr.write(
        `logbook: gave up ending ${runs.length} run(s) after ${EXIT_DEADLINE_MS} ms\n`,
      )
      done()
    }, EXIT_DEADLINE_MS)
  })
  const ending = Promise.all(
    runs.map((run) =>
      run.end({ status }).catch((e: unknown) => {
        process.stderr.write(`logbook: could not end run ${run.id}: ${String(e)}\n`)
      }),
    ),
  )
  await Promise.race([ending, deadline])
  clearTimeout(timer)
}

function installExitHandlers(): void {
  if (handlersInstalled) return
  handlersInstalled = true
  // A listener replaces Node's default crash, so print the error and exit 1 ourselves afterwards.
  const crash = (error: unknown): void => {
    void endLiveRuns('FAILED').finally(() => {
      process.stderr.write(
        `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      )
      process.exit(1)
    })
  }
  process.on('uncaughtException', crash)
  process.on('unhandledRejection', crash)
  process.on('beforeExit', () => {
    if (liveRuns.size === 0) return
    // Exit explicitly: batches still retrying against a dead server would keep the loop alive.
    void endLiveRuns('FINISHED').finally(() => process.exit())
  })
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    process.once(signal, () => void endLiveRuns('KILLED').finally(() => process.exit(code)))
  }
}

/** `startRun` for Node: reads process.env, captures context tags and ends the run at exit. */
export async function startRun(options: NodeStartRunOptions = {}): Promise<Run> {
  const captured = options.capture === false ? {} : await captureContext()
  const tags = { ...captured, ...options.tags }
  const user = options.user ?? (options.capture === false ? undefined : captured[TAG_USER])
  const run = await startBrowserRun({ ...options, env: options.env ?? process.env, tags, user })
  if (options.exitHandlers !== false) {
    installExitHandlers()
    liveRuns.add(run)
  }
  if (options.systemMetrics) {
    const opts = options.systemMetrics === true ? {} : options.systemMetrics
    run.onEnd(await startSystemMetrics(run, opts))
  }
  return run
}

/**
 * Upload a local file or folder like MLflow's log_artifact(s): a file lands at
 * `<artifactDir>/<file name>`, a folder's contents under `<artifactDir>` (the run root by default).
 * Same as `run.logArtifact({ localPath }, artifactDir)`; returns the number of files uploaded.
 */
export async function logLocalArtifacts(
  run: Run,
  localPath: string,
  artifactDir = '',
): Promise<number> {
  const dir = artifactDir.replace(/^\/+|\/+$/g, '')
  let count = 0
  for await (const file of readLocalFiles(localPath)) {
    await run.logArtifact(file.data, dir === '' ? file.path : `${dir}/${file.path}`)
    count++
  }
  return count
}
