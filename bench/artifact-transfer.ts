/**
 * `npm run bench:artifacts [-- --mb 500]`: upload and download one large artifact through the
 * mlflow-artifacts proxy of Logbook and of MLflow's own server (SQLite, local artifact folder), one
 * server at a time on 127.0.0.1. Reports MB/s, the ratio, and the server's peak RSS above idle.
 */
import { createHash, randomBytes } from 'node:crypto'
import {
  createReadStream,
  mkdirSync,
  mkdtempSync,
  rmSync,
  statSync,
  writeFileSync,
  openSync,
  writeSync,
  closeSync,
} from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { memStatus, resetPeakRss } from './proc.ts'
import { startLogbook, startMlflow, type ServerHandle, type StartOptions } from './servers.ts'

const ROOT = new URL('..', import.meta.url).pathname
const LIMIT_MS = 600_000

interface Transfer {
  seconds: number
  mbPerSec: number
  peakRssAboveIdleMb: number
  idleRssMb: number
}

function makeFile(path: string, mb: number): string {
  const hash = createHash('sha256')
  const fd = openSync(path, 'w')
  for (let i = 0; i < mb; i++) {
    const chunk = randomBytes(1024 * 1024)
    hash.update(chunk)
    writeSync(fd, chunk)
  }
  closeSync(fd)
  return hash.digest('hex')
}

function send(
  port: number,
  method: 'PUT' | 'GET',
  path: string,
  file?: string,
): Promise<{ status: number; sha256: string; bytes: number }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, timeout: LIMIT_MS }, (res) => {
      const hash = createHash('sha256')
      let bytes = 0
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length
        hash.update(chunk)
      })
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, sha256: hash.digest('hex'), bytes }),
      )
      res.on('error', reject)
    })
    req.on('timeout', () => req.destroy(new Error('transfer timed out')))
    req.on('error', reject)
    if (file) {
      req.setHeader('content-type', 'application/octet-stream')
      req.setHeader('content-length', String(statSync(file).size))
      createReadStream(file, { highWaterMark: 1024 * 1024 }).pipe(req)
    } else req.end()
  })
}

async function timed(
  server: ServerHandle,
  run: () => Promise<void>,
  mb: number,
): Promise<Transfer> {
  await new Promise((r) => setTimeout(r, 1000))
  const idle = memStatus(server.servingPid)?.rssMb ?? Number.NaN
  const reset = resetPeakRss(server.servingPid)
  let peak = idle
  const sampler = setInterval(() => {
    const m = memStatus(server.servingPid)
    if (m) peak = Math.max(peak, reset ? m.hwmMb : m.rssMb)
  }, 50)
  const t0 = performance.now()
  try {
    await run()
  } finally {
    clearInterval(sampler)
  }
  const seconds = (performance.now() - t0) / 1000
  const m = memStatus(server.servingPid)
  if (m) peak = Math.max(peak, reset ? m.hwmMb : m.rssMb)
  return { seconds, mbPerSec: mb / seconds, peakRssAboveIdleMb: peak - idle, idleRssMb: idle }
}

async function measure(
  kind: 'logbook' | 'mlflow',
  start: (o: StartOptions) => Promise<ServerHandle>,
  work: string,
  file: string,
  sha: string,
  mb: number,
): Promise<{ upload: Transfer; download: Transfer }> {
  const dataDir = join(work, kind)
  mkdirSync(dataDir, { recursive: true })
  const server = await start({
    root: ROOT,
    storeUri: `sqlite:///${dataDir}/store.db`,
    dataDir,
    logDir: work,
  })
  try {
    const path = '/api/2.0/mlflow-artifacts/artifacts/bench/big.bin'
    const upload = await timed(
      server,
      async () => {
        const res = await send(server.port, 'PUT', path, file)
        if (res.status !== 200) throw new Error(`${kind} upload answered ${res.status}`)
      },
      mb,
    )
    const download = await timed(
      server,
      async () => {
        const res = await send(server.port, 'GET', path)
        if (res.status !== 200 || res.sha256 !== sha)
          throw new Error(
            `${kind} download: status ${res.status}, ${res.bytes} bytes, hash ${res.sha256 === sha ? 'ok' : 'MISMATCH'}`,
          )
      },
      mb,
    )
    return { upload, download }
  } finally {
    await server.stop()
  }
}

async function main(): Promise<void> {
  const mbArg = process.argv.indexOf('--mb')
  const mb = mbArg >= 0 ? Number(process.argv[mbArg + 1]) : 500
  const work = mkdtempSync(join(tmpdir(), 'lbart-'))
  try {
    const file = join(work, 'big.bin')
    const sha = makeFile(file, mb)
    const logbook = await measure('logbook', startLogbook, work, file, sha, mb)
    const mlflow = await measure('mlflow', startMlflow, work, file, sha, mb)
    const row = (name: string, l: Transfer, m: Transfer) =>
      `| ${name} | ${l.mbPerSec.toFixed(0)} MB/s | ${m.mbPerSec.toFixed(0)} MB/s | ${(l.mbPerSec / m.mbPerSec).toFixed(1)}x | ${l.peakRssAboveIdleMb.toFixed(0)} MB | ${m.peakRssAboveIdleMb.toFixed(0)} MB |`
    const table = [
      `Artifact transfer of ${mb} MB through the mlflow-artifacts proxy (SQLite, local folder):`,
      '| transfer | Logbook | MLflow | ratio | Logbook peak RSS above idle | MLflow peak RSS above idle |',
      '|---|---|---|---|---|---|',
      row('upload (PUT)', logbook.upload, mlflow.upload),
      row('download (GET)', logbook.download, mlflow.download),
    ].join('\n')
    console.log(table)
    mkdirSync(join(ROOT, 'bench/results'), { recursive: true })
    writeFileSync(
      join(ROOT, `bench/results/${new Date().toISOString().replaceAll(':', '-')}-artifacts.json`),
      JSON.stringify({ mb, logbook, mlflow }, null, 1),
    )
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}

await main()
