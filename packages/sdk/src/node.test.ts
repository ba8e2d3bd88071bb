import { execFile } from 'node:child_process'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LogbookClient } from './client.ts'
import { captureContext, logLocalArtifacts, startRun } from './node.ts'
import { startTestServer } from './testing/server.ts'
import type { TestServer } from './testing/server.ts'

const SCRIPT = fileURLToPath(new URL('./testing/fixtures/exit-script.ts', import.meta.url))

let server: TestServer
let client: LogbookClient

beforeAll(async () => {
  server = await startTestServer()
  client = new LogbookClient({ trackingUri: server.url })
})
afterAll(async () => {
  await server?.dispose()
})

/** Run the fixture script with `npx tsx` and return its exit code and run id. */
function runScript(mode: string): Promise<{ code: number | null; runId: string; stderr: string }> {
  return new Promise((resolve) => {
    const env = { ...process.env, LOGBOOK_TRACKING_URI: server.url }
    const child = execFile('npx', ['tsx', SCRIPT, mode], { env }, (_error, stdout, stderr) => {
      resolve({ code: child.exitCode, runId: /RUN_ID=(\w+)/.exec(stdout)?.[1] ?? '', stderr })
    })
  })
}

describe('node entry', () => {
  it('captures source, user, git, host, Node and package tags', async () => {
    const tags = await captureContext()
    expect(tags['mlflow.source.type']).toBe('LOCAL')
    expect(tags['mlflow.user']).toBeTruthy()
    expect(tags['logbook.node.version']).toBe(process.version)
    expect(tags['logbook.host']).toBeTruthy()
    if (tags['mlflow.source.git.commit'])
      expect(tags['mlflow.source.git.commit']).toMatch(/^[0-9a-f]{40}$/)
  })

  it('ends runs FAILED on an uncaught exception or rejection and FINISHED at normal exit', async () => {
    const [thrown, rejected, ok] = await Promise.all([
      runScript('throw'),
      runScript('reject'),
      runScript('ok'),
    ])
    expect(thrown.code).toBe(1)
    expect(thrown.stderr).toContain('boom')
    expect(rejected.code).toBe(1)
    expect(ok.code).toBe(0)
    for (const [result, status] of [
      [thrown, 'FAILED'],
      [rejected, 'FAILED'],
      [ok, 'FINISHED'],
    ] as const) {
      const run = await client.getRun(result.runId)
      expect(run.info.status).toBe(status)
      expect(run.info.end_time).toBeGreaterThanOrEqual(run.info.start_time)
      expect(run.data.metrics.map((m) => m.key)).toEqual(['m'])
      const tags = Object.fromEntries(run.data.tags.map((t) => [t.key, t.value]))
      expect(tags['mlflow.source.name']).toBe(SCRIPT)
      expect(tags['logbook.package.name']).toBe('@logbook/sdk')
    }
  })

  it('uploads a local file or a whole folder', async () => {
    const dir = join(server.dir, 'upload')
    await mkdir(join(dir, 'sub'), { recursive: true })
    await writeFile(join(dir, 'a.txt'), 'A')
    await writeFile(join(dir, 'sub', 'b.txt'), 'B')
    const run = await startRun({ client, exitHandlers: false })
    expect(await logLocalArtifacts(run, dir, 'data')).toBe(2)
    expect(await logLocalArtifacts(run, join(dir, 'a.txt'))).toBe(1)
    await run.logArtifact({ localPath: dir }, 'fluent')
    await run.logArtifact({ localPath: join(dir, 'sub', 'b.txt') })
    await run.logArtifact(Buffer.from('buffer'), 'bytes/buf.bin')
    await run.logArtifact(new File(['file'], 'named.txt'))
    await run.end()
    const root = run.info.artifact_uri.replace(/^mlflow-artifacts:\/*/, '')
    const read = async (p: string): Promise<string> =>
      new TextDecoder().decode(await client.downloadArtifact(`${root}/${p}`))
    expect(await read('data/sub/b.txt')).toBe('B')
    expect(await read('data/a.txt')).toBe('A')
    expect(await read('a.txt')).toBe('A')
    expect(await read('fluent/a.txt')).toBe('A')
    expect(await read('fluent/sub/b.txt')).toBe('B')
    expect(await read('b.txt')).toBe('B')
    expect(await read('bytes/buf.bin')).toBe('buffer')
    expect(await read('named.txt')).toBe('file')
  })
})
