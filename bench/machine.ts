/** What the benchmark ran on: hardware and the versions of every moving part. */
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { join } from 'node:path'

export interface MachineInfo {
  nproc: number
  memGiB: number
  cpuModel: string
  kernel: string
  node: string
  python: string
  mlflow: string
  sqlite: { logbook: string; mlflow: string }
  postgres?: string
  /** The Logbook code measured: commit and uncommitted files under packages/. */
  logbook: { commit: string; uncommittedFiles: number }
}

function sh(file: string, args: string[]): string {
  try {
    return execFileSync(file, args, { encoding: 'utf8', timeout: 60_000 }).trim()
  } catch (error) {
    return `unknown (${(error as Error).message.split('\n')[0]})`
  }
}

export async function machineInfo(root: string): Promise<MachineInfo> {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8')
  const cpuModel =
    /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? cpus()[0]?.model ?? 'unknown'
  const py = join(root, '.venv/bin/python')
  const { default: Database } = await import('better-sqlite3')
  const db = new Database(':memory:')
  const sqlite = (db.prepare('select sqlite_version() as v').get() as { v: string }).v
  db.close()
  return {
    nproc: Number(sh('nproc', [])),
    memGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    cpuModel,
    kernel: sh('uname', ['-sr']),
    node: process.version,
    python: sh(py, ['-c', 'import platform; print(platform.python_version())']),
    mlflow: sh(py, ['-c', 'import mlflow; print(mlflow.__version__)']),
    logbook: {
      commit: sh('git', ['-C', root, 'log', '-1', '--format=%h %cI %s']),
      uncommittedFiles: sh('git', ['-C', root, 'status', '--porcelain', '--', 'packages'])
        .split('\n')
        .filter((line) => line.trim() !== '').length,
    },
    sqlite: {
      logbook: sqlite,
      mlflow: sh(py, ['-c', 'import sqlite3; print(sqlite3.sqlite_version)']),
    },
  }
}
