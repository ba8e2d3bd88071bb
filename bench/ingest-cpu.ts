/**
 * Server CPU per 1,000-point log-batch on SQLite, measured with process.cpuUsage() so the figure
 * holds on a loaded machine where wall-clock rates do not.
 *
 *   npx tsx bench/ingest-cpu.ts [--batches 2000] [--runs 8] [--reps 3] [--mode inproc|socket|both] [--no-write-thread]
 *   npx tsx bench/ingest-cpu.ts --mode inproc --reps 1 --profile /tmp/ingest.cpuprofile
 *   npx tsx bench/ingest-cpu.ts --summarise /tmp/prof/<file>.cpuprofile [--top 30]
 *
 * inproc: requests go through `app.request()` (Hono + JSON + store, no socket).
 * socket: the app listens on 127.0.0.1 and a child process (this file with --client) sends the
 * same bodies over keep-alive HTTP/1.1; only this (server) process's CPU is counted.
 * --profile records a V8 CPU profile (as `node --cpu-prof` does) of the measured loop only (this
 * process: the server side in socket mode), without start-up and module loading; --summarise prints its self time by function.
 * Each rep opens a fresh store in a temp directory; steps advance per run as in bench phase (a).
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { Session } from 'node:inspector/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { openTrackingStore } from '@logbook/store'
import { createApp } from '../packages/server/src/app.ts'
import { close, listen } from '../packages/server/src/serve.ts'
import { freePort } from '../packages/store/src/testing/free-port.ts'
import { BatchBody } from './batch-body.ts'
import { API, HttpClient } from './http-client.ts'
import { prng } from './stats.ts'

const KEYS = 10
const STEPS = 100

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 && process.argv[i + 1] !== undefined ? (process.argv[i + 1] as string) : fallback
}

const cpuMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000
/** CPU ms of this process's main thread alone (Linux; 10 ms ticks), without worker threads. */
function mainThreadMs(): number {
  const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(fields[11]) + Number(fields[12])) * 10
}

function bodiesFor(runIds: string[]): BatchBody[] {
  const keys = Array.from({ length: KEYS }, (_, i) => `m${i}`)
  return runIds.map((id, c) => new BatchBody(id, keys, STEPS, prng(1000 + c)))
}

interface Setup {
  app: ReturnType<typeof createApp>
  runIds: string[]
  done: () => Promise<void>
}

async function setup(runs: number): Promise<Setup> {
  const dir = mkdtempSync(join(tmpdir(), 'logbook-ingest-cpu-'))
  // As `logbook server` opens it (metric writes on their own thread), unless --no-write-thread.
  const writeThread = !process.argv.includes('--no-write-thread')
  const store = await openTrackingStore(`sqlite:///${dir}/logbook.db`, { defaultArtifactRoot: 'mlflow-artifacts:', writeThread })
  const app = createApp({ store, config: { version: 'bench' } })
  const experimentId = await store.createExperiment('ingest-cpu')
  const runIds: string[] = []
  for (let i = 0; i < runs; i++) runIds.push((await store.createRun({ experimentId, startTime: Date.now(), tags: [] })).info.run_id)
  return {
    app,
    runIds,
    done: async () => {
      await store.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

interface Measured {
  /** Process CPU ms per batch (all threads). */
  cpu: number
  /** Main (serving) thread CPU ms per batch. */
  main: number
  wall: number
}

/** Sequential requests, runs round-robin; returns server CPU ms per batch. */
async function inproc(batches: number, runs: number): Promise<Measured> {
  const s = await setup(runs)
  const bodies = bodiesFor(s.runIds)
  const send = async (i: number) => {
    const body = bodies[i % runs] as BatchBody
    const res = await s.app.request(`${API}/runs/log-batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      // Bytes, as a socket delivers them (a string body would add a UTF-8 encode per request).
      body: new Uint8Array(body.set(Math.floor(i / runs) * STEPS)),
    })
    if (res.status !== 200) throw new Error(`log-batch -> ${res.status}: ${await res.text()}`)
    await res.text()
  }
  const warm = Math.min(100, batches)
  for (let i = 0; i < warm; i++) await send(i)
  const stopProfile = await startProfile()
  const t0 = performance.now()
  const c0 = process.cpuUsage()
  const m0 = mainThreadMs()
  for (let i = warm; i < warm + batches; i++) await send(i)
  const cpu = cpuMs(process.cpuUsage(c0)) / batches
  const main = (mainThreadMs() - m0) / batches
  const wall = (performance.now() - t0) / batches
  await stopProfile()
  await s.done()
  return { cpu, main, wall }
}

/** With --profile <file>: start V8's CPU profiler; the returned function writes the profile. */
async function startProfile(): Promise<() => Promise<void>> {
  const file = arg('profile', '')
  if (!file) return async () => {}
  const session = new Session()
  session.connect()
  await session.post('Profiler.enable')
  await session.post('Profiler.start')
  return async () => {
    const { profile } = await session.post('Profiler.stop')
    writeFileSync(file, JSON.stringify(profile))
    session.disconnect()
  }
}

/** The app behind a real socket; a child process is the client. Returns this process's CPU per batch. */
async function socket(batches: number, runs: number): Promise<Measured> {
  const s = await setup(runs)
  const port = await freePort()
  const server = await listen(s.app, '127.0.0.1', port)
  const me = fileURLToPath(import.meta.url)
  const child = spawn(process.execPath, [...process.execArgv.filter((a) => !a.startsWith('--cpu-prof')), me, '--client', String(port), '--batches', String(batches), '--run-ids', s.runIds.join(',')], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  let out = ''
  child.stdout.on('data', (d: Buffer) => (out += d.toString()))
  let c0: NodeJS.CpuUsage | undefined
  let t0 = 0
  let cpu = 0
  let main = 0
  let m0 = 0
  let wall = 0
  let stopProfile: Promise<() => Promise<void>> | undefined
  // The client prints "start" after its warm-up and "end" when done.
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', () => {
      if (c0 === undefined && out.includes('start')) {
        c0 = process.cpuUsage()
        m0 = mainThreadMs()
        t0 = performance.now()
        stopProfile = startProfile()
      }
      if (c0 !== undefined && out.includes('end') && cpu === 0) {
        cpu = cpuMs(process.cpuUsage(c0)) / batches
        main = (mainThreadMs() - m0) / batches
        wall = (performance.now() - t0) / batches
      }
    })
    child.on('exit', (code) => (code === 0 && cpu > 0 ? resolve() : reject(new Error(`client exited ${code}: ${out}`))))
  })
  if (stopProfile) await (await stopProfile)()
  await close(server)
  await s.done()
  return { cpu, main, wall }
}

/** Child role: warm up, print start, send the batches with 8 requests in flight, print end. */
async function client(): Promise<void> {
  const port = Number(arg('client', '0'))
  const batches = Number(arg('batches', '0'))
  const runIds = arg('run-ids', '').split(',')
  const http = new HttpClient(port, runIds.length)
  const bodies = bodiesFor(runIds)
  const next = runIds.map(() => 0)
  const sendFor = async (c: number, count: number) => {
    for (let n = 0; n < count; n++) {
      const res = await http.request('POST', `${API}/runs/log-batch`, (bodies[c] as BatchBody).set(next[c]! * STEPS))
      next[c]!++
      if (res.status !== 200) throw new Error(`log-batch -> ${res.status}: ${res.body}`)
    }
  }
  const per = Math.ceil(batches / runIds.length)
  await Promise.all(runIds.map((_, c) => sendFor(c, Math.ceil(100 / runIds.length))))
  process.stdout.write('start\n')
  await Promise.all(runIds.map((_, c) => sendFor(c, per)))
  process.stdout.write('end\n')
  http.close()
}

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
}

/** Self time by function of a .cpuprofile, largest first. */
function summarise(file: string, top: number): void {
  const prof = JSON.parse(readFileSync(file, 'utf8')) as { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }
  const byId = new Map(prof.nodes.map((n) => [n.id, n]))
  const self = new Map<string, number>()
  let total = 0
  prof.samples.forEach((id, i) => {
    const n = byId.get(id) as ProfileNode
    const f = n.callFrame
    const where = f.url ? `${f.url.replace(/^.*\/(node_modules|packages)\//, '$1/')}:${f.lineNumber + 1}` : ''
    const name = `${f.functionName || '(anonymous)'} ${where}`
    const dt = prof.timeDeltas[i] ?? 0
    self.set(name, (self.get(name) ?? 0) + dt)
    total += dt
  })
  const rows = [...self].sort((a, b) => b[1] - a[1]).slice(0, top)
  console.log(`total ${(total / 1000).toFixed(0)} ms`)
  for (const [name, us] of rows) console.log(`${((100 * us) / total).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(6)} ms  ${name}`)
}

async function main(): Promise<void> {
  if (process.argv.includes('--client')) return client()
  if (process.argv.includes('--summarise')) return summarise(arg('summarise', ''), Number(arg('top', '30')))
  const batches = Number(arg('batches', '2000'))
  const runs = Number(arg('runs', '8'))
  const reps = Number(arg('reps', '3'))
  const mode = arg('mode', 'both')
  const seen: Record<string, number[]> = { inproc: [], socket: [] }
  for (let r = 0; r < reps; r++) {
    if (mode !== 'socket') {
      const x = await inproc(batches, runs)
      seen.inproc!.push(x.cpu)
      console.log(`inproc  rep ${r + 1}: ${x.cpu.toFixed(3)} CPU ms/batch (main thread ${x.main.toFixed(2)}, wall ${x.wall.toFixed(2)} ms), ${batches} batches x 1,000 points, ${runs} runs`)
    }
    if (mode !== 'inproc') {
      const x = await socket(batches, runs)
      seen.socket!.push(x.cpu)
      console.log(`socket  rep ${r + 1}: ${x.cpu.toFixed(3)} server CPU ms/batch (main thread ${x.main.toFixed(2)}, wall ${x.wall.toFixed(2)} ms), ${batches} batches x 1,000 points, ${runs} runs`)
    }
  }
  // Other processes only ever add CPU time (cache and scheduler interference): the minimum is the steadiest figure.
  for (const [m, xs] of Object.entries(seen)) {
    if (xs.length === 0) continue
    const sorted = [...xs].sort((a, b) => a - b)
    console.log(`${m} summary: min ${sorted[0]!.toFixed(3)}, median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(3)} CPU ms/batch over ${xs.length} reps`)
  }
}

await main()
