/** Linux /proc readings: process trees, CPU ticks, resident memory. */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs'

const CLK_TCK = 100

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return undefined
  }
}

export function children(pid: number): number[] {
  let tids: string[]
  try {
    tids = readdirSync(`/proc/${pid}/task`)
  } catch {
    return []
  }
  const out: number[] = []
  for (const tid of tids) {
    const text = read(`/proc/${pid}/task/${tid}/children`) ?? ''
    for (const part of text.trim().split(/\s+/)) if (part !== '') out.push(Number(part))
  }
  return out
}

/** pid and all its descendants, parents before children, with their depth. */
export function processTree(pid: number): { pid: number; depth: number }[] {
  const out = [{ pid, depth: 0 }]
  for (let i = 0; i < out.length && i < 1000; i++) {
    const node = out[i]!
    for (const child of children(node.pid)) out.push({ pid: child, depth: node.depth + 1 })
  }
  return out
}

export function cmdline(pid: number): string {
  return (read(`/proc/${pid}/cmdline`) ?? '').split('\0').join(' ').trim()
}

/** user + system CPU seconds of the given processes (threads included). */
export function cpuSeconds(pids: number[], withReapedChildren = false): number {
  let ticks = 0
  for (const pid of pids) {
    const stat = read(`/proc/${pid}/stat`)
    if (!stat) continue
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    ticks += Number(fields[11]) + Number(fields[12])
    if (withReapedChildren) ticks += Number(fields[13]) + Number(fields[14])
  }
  return ticks / CLK_TCK
}

/**
 * CPU seconds of a daemon whose workers come and go (PostgreSQL backends): the root with its
 * reaped children, plus the children alive now.
 */
export function daemonCpuSeconds(root: number | undefined): number {
  if (root === undefined) return 0
  const live = processTree(root)
    .slice(1)
    .map((p) => p.pid)
  return cpuSeconds([root], true) + cpuSeconds(live)
}

export interface MemStatus {
  rssMb: number
  hwmMb: number
}

export function memStatus(pid: number): MemStatus | undefined {
  const text = read(`/proc/${pid}/status`)
  if (!text) return undefined
  const kb = (name: string) =>
    Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? Number.NaN)
  return { rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024 }
}

/** Reset VmHWM to the current RSS (`echo 5 > /proc/<pid>/clear_refs`); false when not allowed. */
export function resetPeakRss(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5')
    return true
  } catch {
    return false
  }
}

/** Busy CPU seconds of the whole machine so far (all cores; idle and iowait excluded). */
export function systemBusySeconds(): number {
  const line = (read('/proc/stat') ?? '').split('\n')[0] ?? ''
  const f = line.trim().split(/\s+/).slice(1).map(Number)
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = f
  return (user + nice + system + irq + softirq + steal) / CLK_TCK
}

/** CPU over a phase, in % of one core: this client, the server tree, and everything else. */
export interface PhaseCpu {
  seconds: number
  clientPct: number
  serverPct: number
  /** The PostgreSQL cluster (0 with SQLite, which runs inside the server process). */
  dbPct: number
  otherPct: number
}

export function phaseCpuMeter(serverPids: number[], dbRoot?: number): () => PhaseCpu {
  const t0 = performance.now()
  const sys0 = systemBusySeconds()
  const srv0 = cpuSeconds(serverPids)
  const db0 = daemonCpuSeconds(dbRoot)
  const cli0 = process.cpuUsage()
  return () => {
    const wall = (performance.now() - t0) / 1000
    const c = process.cpuUsage(cli0)
    const client = (c.user + c.system) / 1e6
    const server = cpuSeconds(serverPids) - srv0
    const db = daemonCpuSeconds(dbRoot) - db0
    const other = Math.max(0, systemBusySeconds() - sys0 - client - server - db)
    const pct = (x: number) => Math.round((1000 * x) / wall) / 10
    return {
      seconds: Math.round(wall * 10) / 10,
      clientPct: pct(client),
      serverPct: pct(server),
      dbPct: pct(db),
      otherPct: pct(other),
    }
  }
}

/**
 * Waits (up to limitMs) until processes other than ours use less than `maxPct` of one core
 * over a 2 s window, so a background build does not skew the figures. Returns the last reading.
 */
export async function waitForQuiet(
  limitMs: number,
  log: (m: string) => void,
  ourPids: number[] = [],
  dbRoot?: number,
  maxPct = 15,
): Promise<{ otherPct: number; waitedSeconds: number }> {
  const t0 = performance.now()
  for (;;) {
    const meter = phaseCpuMeter(ourPids, dbRoot)
    await new Promise((r) => setTimeout(r, 2000))
    const { otherPct } = meter()
    const waitedSeconds = Math.round((performance.now() - t0) / 100) / 10
    if (otherPct < maxPct) return { otherPct, waitedSeconds }
    if (performance.now() - t0 > limitMs) {
      log(`WARNING: other processes still use ${otherPct}% of a core; going ahead anyway`)
      return { otherPct, waitedSeconds }
    }
    log(`other processes use ${otherPct}% of a core; waiting for the machine to be quiet`)
    await new Promise((r) => setTimeout(r, 5000))
  }
}
