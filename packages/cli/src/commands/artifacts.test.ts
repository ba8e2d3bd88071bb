import { randomBytes } from 'node:crypto'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LogbookClient, proxyArtifactRoot } from '@logbook/sdk'
import { startTestServer } from '../../../sdk/src/testing/server.ts'
import type { TestServer } from '../../../sdk/src/testing/server.ts'
import { parseCsv, runCli } from '../testing/run-cli.ts'

let server: TestServer
let client: LogbookClient
let env: Record<string, string>
let dir: string
let runId: string
let root: string

/** The local tree to upload: text, a 3 MB binary, a name with spaces, an empty file, nesting. */
const FILES: Record<string, Buffer> = {
  'a.txt': Buffer.from('hello artifacts\n'),
  'nested/deeper/b.bin': randomBytes(3 * 1024 * 1024 + 17),
  'nested/c.json': Buffer.from('{"x": [1, 2, 3]}'),
  'name with space.txt': Buffer.from('spaced'),
  'empty.dat': Buffer.alloc(0),
}

beforeAll(async () => {
  server = await startTestServer()
  client = new LogbookClient({ trackingUri: server.url })
  env = { LOGBOOK_TRACKING_URI: server.url }
  dir = await mkdtemp(join(tmpdir(), 'logbook-cli-artifacts-'))
  for (const [path, bytes] of Object.entries(FILES)) {
    await mkdir(dirname(join(dir, 'src', path)), { recursive: true })
    await writeFile(join(dir, 'src', path), bytes)
  }
  const run = await client.createRun({ experimentId: '0' })
  runId = run.info.run_id
  root = proxyArtifactRoot(run.info.artifact_uri)
}, 300_000)
afterAll(async () => {
  await server?.dispose()
  if (dir) await rm(dir, { recursive: true, force: true })
})

describe('logbook artifacts', () => {
  it('uploads a folder, lists it, and downloads identical bytes', async () => {
    const up = await runCli(['artifacts', 'upload', '--run-id', runId, '--src', join(dir, 'src'), '--artifact-path', 'data'], env)
    expect(up.code).toBe(0)
    expect(up.stdout).toBe(`Uploaded 5 file(s), 3.00 MiB, to runs:/${runId}/data\n`)
    expect(up.stderr).toMatch(/^upload: 5 files, 3\.00 MiB in \S+ \(.+\/s\)\n$/)
    expect(Buffer.from(await client.downloadArtifact(`${root}/data/nested/c.json`))).toEqual(FILES['nested/c.json'])

    const [top, data, nested] = await Promise.all([
      runCli(['artifacts', 'list', '--run-id', runId], env),
      runCli(['artifacts', 'list', '--run-id', runId, '--artifact-path', 'data', '-o', 'json'], env),
      runCli(['artifacts', 'list', '--run-id', runId, '-a', 'data/nested/deeper', '-o', 'csv'], env),
    ])
    expect(top.stdout).toMatch(/^path\s+type\s+size\n-+\s+-+\s+-+\ndata\s+dir\n$/)
    const entries = JSON.parse(data.stdout) as { path: string; is_dir: boolean; file_size?: number }[]
    expect(entries.sort((a, b) => a.path.localeCompare(b.path))).toEqual([
      { path: 'data/a.txt', is_dir: false, file_size: FILES['a.txt']!.length },
      { path: 'data/empty.dat', is_dir: false, file_size: 0 },
      { path: 'data/name with space.txt', is_dir: false, file_size: 6 },
      { path: 'data/nested', is_dir: true },
    ])
    expect(parseCsv(nested.stdout)).toEqual([['path', 'is_dir', 'file_size'], ['data/nested/deeper/b.bin', 'false', String(FILES['nested/deeper/b.bin']!.length)]])

    const dest = join(dir, 'all')
    const down = await runCli(['artifacts', 'download', '--run-id', runId, '--dest', dest], env)
    expect(down.code).toBe(0)
    expect(down.stdout).toBe(`${dest}\n`)
    expect(down.stderr).toMatch(/^download: 5 files, 3\.00 MiB in /)
    for (const [path, bytes] of Object.entries(FILES)) expect((await readFile(join(dest, 'data', path))).equals(bytes)).toBe(true)

    const folder = await runCli(['artifacts', 'download', '-r', runId, '-a', 'data/nested', '-d', join(dir, 'part')], env)
    expect(folder.stdout).toBe(`${join(dir, 'part', 'data', 'nested')}\n`)
    expect((await readFile(join(dir, 'part', 'data', 'nested', 'deeper', 'b.bin'))).equals(FILES['nested/deeper/b.bin']!)).toBe(true)
  }, 300_000)

  it('uploads and downloads a single file', async () => {
    const up = await runCli(['artifacts', 'upload', '-r', runId, '-s', join(dir, 'src', 'nested', 'c.json')], env)
    expect(up.code).toBe(0)
    expect(Buffer.from(await client.downloadArtifact(`${root}/c.json`))).toEqual(FILES['nested/c.json'])
    const down = await runCli(['artifacts', 'download', '-r', runId, '-a', 'c.json', '-d', join(dir, 'one')], env)
    expect(down.code).toBe(0)
    expect(down.stdout).toBe(`${join(dir, 'one', 'c.json')}\n`)
    expect((await readFile(join(dir, 'one', 'c.json'))).equals(FILES['nested/c.json']!)).toBe(true)
  }, 300_000)

  it('uploads large files in parts (multipart through the proxy)', async () => {
    const parts = { MLFLOW_MULTIPART_UPLOAD_MINIMUM_FILE_SIZE: '1048576', MLFLOW_MULTIPART_UPLOAD_CHUNK_SIZE: '1048576' }
    const src = join(dir, 'src', 'nested', 'deeper', 'b.bin')
    const up = await runCli(['artifacts', 'upload', '-r', runId, '-s', src, '-a', 'big'], { ...env, ...parts })
    expect(up.code).toBe(0)
    expect(up.stderr).toMatch(/^upload: 1 files, 3\.00 MiB in /)
    expect(Buffer.from(await client.downloadArtifact(`${root}/big/b.bin`)).equals(FILES['nested/deeper/b.bin']!)).toBe(true)
    // Proof that the parts path ran: 100-byte parts would need more parts than the proxy allows.
    const tooMany = await runCli(['artifacts', 'upload', '-r', runId, '-s', src, '-a', 'big2'], { ...env, ...parts, MLFLOW_MULTIPART_UPLOAD_CHUNK_SIZE: '100' })
    expect(tooMany.code).toBe(1)
    expect(tooMany.stderr).toMatch(/^logbook: INVALID_PARAMETER_VALUE: Invalid part number/)
    const help = await runCli(['artifacts', 'upload', '--help'])
    expect(help.stdout).toContain('MLFLOW_MULTIPART_UPLOAD_MINIMUM_FILE_SIZE')
  }, 300_000)

  it('exits 1 on server errors and 2 on bad usage', async () => {
    const [missing, unknownRun, noSrc, badSrc] = await Promise.all([
      runCli(['artifacts', 'download', '-r', runId, '-a', 'no/such.file', '-d', join(dir, 'x')], env),
      runCli(['artifacts', 'list', '-r', 'f'.repeat(32)], env),
      runCli(['artifacts', 'upload', '-r', runId], env),
      runCli(['artifacts', 'upload', '-r', runId, '--src', join(dir, 'does-not-exist')], env),
    ])
    expect(missing.code).toBe(1)
    expect(missing.stderr).toMatch(/^logbook: RESOURCE_DOES_NOT_EXIST: /)
    expect(unknownRun.code).toBe(1)
    expect(unknownRun.stderr).toMatch(/^logbook: RESOURCE_DOES_NOT_EXIST: /)
    expect(noSrc.code).toBe(2)
    expect(noSrc.stderr).toContain("Missing required option '--src'")
    expect(badSrc.code).toBe(2)
  }, 300_000)
})
