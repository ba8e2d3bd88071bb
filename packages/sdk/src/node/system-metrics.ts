import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { readFile, statfs } from 'node:fs/promises'
import { loadavg } from 'node:os'

/**
 * System metrics under MLflow's names (mlflow/system_metrics/metrics/*.py), read from /proc on
 * Linux and from `nvidia-smi` when it is on PATH. Logged as `system/<name>` at steps 0, 1, 2, ...
 * like MLflow's SystemMetricsMonitor. Names MLflow does not have are marked "Logbook" below.
 */

const MB = 1e6

/** Counters that turn into rates or deltas between two samples. */
interface Counters {
  cpuBusy: number
  cpuTotal: number
  diskReadBytes: number
  diskWriteBytes: number
  netRxBytes: number
  netTxBytes: number
}

async function read(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8')
  } catch {
    return undefined
  }
}

/** Busy and total jiffies of all CPUs from the first line of /proc/stat. */
export function parseProcStat(text: string): { busy: number; total: number } {
  const fields = (text.split('\n')[0] ?? '').trim().split(/\s+/).slice(1).map(Number)
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] =
    fields
  const busy = user + nice + system + irq + softirq + steal
  return { busy, total: busy + idle + iowait }
}

/** MemTotal and MemAvailable in bytes from /proc/meminfo. */
export function parseMeminfo(text: string): { total: number; available: number } {
  const kb = (name: string): number =>
    Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? Number.NaN) * 1024
  return { total: kb('MemTotal'), available: kb('MemAvailable') }
}

/**
 * Bytes read and written by whole block devices in /proc/diskstats (sectors are 512 bytes there);
 * partitions are skipped so nothing counts twice, loop and ram devices because they are not disks.
 */
export function parseDiskstats(
  text: string,
  isDisk: (name: string) => boolean,
): { read: number; write: number } {
  let readSectors = 0
  let writeSectors = 0
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/)
    const name = f[2]
    if (!name || /^(loop|ram|zram)/.test(name) || !isDisk(name)) continue
    readSectors += Number(f[5] ?? 0)
    writeSectors += Number(f[9] ?? 0)
  }
  return { read: readSectors * 512, write: writeSectors * 512 }
}

/** Received and transmitted bytes summed over every interface of /proc/net/dev (as psutil). */
export function parseNetDev(text: string): { rx: number; tx: number } {
  let rx = 0
  let tx = 0
  for (const line of text.split('\n').slice(2)) {
    const [, counters] = line.split(':')
    if (counters === undefined) continue
    const f = counters.trim().split(/\s+/).map(Number)
    rx += f[0] ?? 0
    tx += f[8] ?? 0
  }
  return { rx, tx }
}

/**
 * Per-GPU metrics from `nvidia-smi --query-gpu=index,utilization.gpu,memory.used,memory.total,
 * power.draw,power.limit --format=csv,noheader,nounits` (MiB, W); "[N/A]" fields are left out.
 */
export function parseNvidiaSmi(csv: string): Record<string, number> {
  const out: Record<string, number> = {}
  for (const line of csv.split('\n')) {
    if (line.trim() === '') continue
    const [index, util, used, total, draw, limit] = line.split(',').map((s) => Number(s.trim()))
    if (index === undefined || Number.isNaN(index)) continue
    const put = (name: string, v: number | undefined): void => {
      if (v !== undefined && Number.isFinite(v))
        out[`gpu_${index}_${name}`] = Math.round(v * 10) / 10
    }
    put('utilization_percentage', util)
    if (used !== undefined) put('memory_usage_megabytes', (used * 1024 * 1024) / MB)
    if (used !== undefined && total) put('memory_usage_percentage', (used / total) * 100)
    put('power_usage_watts', draw)
    if (draw !== undefined && limit) put('power_usage_percentage', (draw / limit) * 100)
  }
  return out
}

const NVIDIA_QUERY = [
  '--query-gpu=index,utilization.gpu,memory.used,memory.total,power.draw,power.limit',
  '--format=csv,noheader,nounits',
]

function nvidiaSmi(): Promise<string | undefined> {
  return new Promise((done) => {
    execFile('nvidia-smi', NVIDIA_QUERY, { timeout: 5000 }, (error, stdout) =>
      done(error ? undefined : stdout),
    )
  })
}

/** Samples the machine; each `sample()` returns metric values since the previous one. */
export class SystemSampler {
  private previous: Counters | undefined
  private initial: Counters | undefined
  private gpu = true

  /** Read the counters once so the first sample has a baseline (like psutil's first call). */
  async start(): Promise<void> {
    this.previous = await this.counters()
    this.initial = this.previous
  }

  private async counters(): Promise<Counters> {
    const [stat, disk, net] = await Promise.all([
      read('/proc/stat'),
      read('/proc/diskstats'),
      read('/proc/net/dev'),
    ])
    const cpu = parseProcStat(stat ?? '')
    const io = parseDiskstats(disk ?? '', (name) => existsSync(`/sys/block/${name}`))
    const nic = parseNetDev(net ?? '')
    return {
      cpuBusy: cpu.busy,
      cpuTotal: cpu.total,
      diskReadBytes: io.read,
      diskWriteBytes: io.write,
      netRxBytes: nic.rx,
      netTxBytes: nic.tx,
    }
  }

  /** One sample: CPU since the last sample; memory and disk now; I/O since `start()`. */
  async sample(): Promise<Record<string, number>> {
    const now = await this.counters()
    const prev = this.previous ?? now
    const first = this.initial ?? now
    this.previous = now
    const r1 = (v: number): number => Math.round(v * 10) / 10
    const out: Record<string, number> = {}
    const dt = now.cpuTotal - prev.cpuTotal
    if (dt > 0) out.cpu_utilization_percentage = r1(((now.cpuBusy - prev.cpuBusy) / dt) * 100)
    const mem = parseMeminfo((await read('/proc/meminfo')) ?? '')
    if (Number.isFinite(mem.total) && Number.isFinite(mem.available)) {
      const used = mem.total - mem.available
      out.system_memory_usage_megabytes = r1(used / MB)
      out.system_memory_usage_percentage = r1((used / mem.total) * 100)
    }
    try {
      const fs = await statfs('/')
      const total = fs.blocks * fs.bsize
      const free = fs.bavail * fs.bsize
      const used = total - fs.bfree * fs.bsize
      out.disk_usage_megabytes = r1(used / MB)
      out.disk_available_megabytes = r1(free / MB)
      // psutil's percent: used / (used + available to unprivileged users).
      out.disk_usage_percentage = r1((used / (used + free)) * 100)
    } catch {
      // No statfs (or no "/"): leave the disk usage metrics out.
    }
    out.network_receive_megabytes = r1((now.netRxBytes - first.netRxBytes) / MB)
    out.network_transmit_megabytes = r1((now.netTxBytes - first.netTxBytes) / MB)
    // Logbook: disk I/O since the start and the 1-minute load average.
    out.disk_read_megabytes = r1((now.diskReadBytes - first.diskReadBytes) / MB)
    out.disk_write_megabytes = r1((now.diskWriteBytes - first.diskWriteBytes) / MB)
    out.load_average_1m = Math.round((loadavg()[0] ?? 0) * 100) / 100
    if (this.gpu) {
      const csv = await nvidiaSmi()
      // No nvidia-smi on PATH (or no driver): stop asking.
      if (csv === undefined) this.gpu = false
      else Object.assign(out, parseNvidiaSmi(csv))
    }
    return out
  }
}

/** Options of system-metrics logging. */
export interface SystemMetricsOptions {
  /** Sampling interval (default 10,000 ms, MLflow's default). */
  intervalMs?: number
}

/** Something system metrics can be logged to (a Run). */
export interface MetricSink {
  logMetrics(metrics: Record<string, number>, opts: { step: number }): void
}

/**
 * Log `system/*` metrics to `sink` every `intervalMs` until the returned stop function is called.
 * The timer is unref'd, so it never keeps a finished process alive.
 */
export async function startSystemMetrics(
  sink: MetricSink,
  opts: SystemMetricsOptions = {},
): Promise<() => void> {
  const sampler = new SystemSampler()
  await sampler.start()
  let step = 0
  let busy = false
  let stopped = false
  const timer = setInterval(() => {
    if (busy) return
    busy = true
    void sampler
      .sample()
      .then((values) => {
        if (stopped) return
        const prefixed: Record<string, number> = {}
        for (const [k, v] of Object.entries(values)) prefixed[`system/${k}`] = v
        sink.logMetrics(prefixed, { step: step++ })
      })
      .catch((e: unknown) => {
        process.stderr.write(`logbook: system metrics sample failed: ${String(e)}\n`)
      })
      .finally(() => (busy = false))
  }, opts.intervalMs ?? 10_000)
  timer.unref()
  return () => {
    stopped = true
    clearInterval(timer)
  }
}
