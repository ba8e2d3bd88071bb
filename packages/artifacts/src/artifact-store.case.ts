import { createHash, randomBytes } from 'node:crypto'
import { beforeEach, expect, it } from 'vitest'
import { isMlflowError } from '@logbook/core'
import type { ArtifactStore, FileInfo } from './artifact-store.ts'
import { safeArtifactPath } from './path-safety.ts'
import type { SafePath } from './path-safety.ts'
import { MemoryPeak } from './testing/memory.ts'

/** What the conformance suite needs from one backend. */
export interface ArtifactBackend {
  /** A new, empty store. */
  fresh(): Promise<ArtifactStore>
  /**
   * Plants data outside the store's root; `attacks` are paths that lead there on a naive store
   * (symlinks, raw `..`); `intact()` asserts the planted data is unchanged.
   */
  plantOutside(store: ArtifactStore): Promise<{ attacks: string[]; intact(): Promise<void> }>
  /** Files created under one folder to prove deletes page through listings of any size. */
  treeSize: number
  /** Writes many one-byte files quickly (default: `put` each); only the tree case uses it. */
  seed?(store: ArtifactStore, paths: SafePath[]): Promise<void>
  /** Largest growth of live memory (heap and buffers) allowed while streaming 50 MB. */
  streamBudget: number
}

const p = (raw: string): SafePath => safeArtifactPath(raw)

async function* chunks(...parts: Uint8Array[]): AsyncIterable<Uint8Array> {
  for (const part of parts) yield part
}

async function readAll(body: ReadableStream<Uint8Array>): Promise<Buffer> {
  const out: Buffer[] = []
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>)
    out.push(Buffer.from(chunk))
  return Buffer.concat(out)
}

async function content(store: ArtifactStore, path: string): Promise<Buffer | undefined> {
  const file = await store.get(p(path))
  return file === undefined ? undefined : readAll(file.body)
}

async function walked(store: ArtifactStore, dir: string): Promise<string[]> {
  const out: string[] = []
  for await (const file of store.walk(p(dir))) out.push(`${file.path}:${file.size}`)
  return out.sort()
}

/** Resolves to 'refused' when the promise rejects with a 4xx MLflow error, else its value. */
async function outcome<T>(promise: Promise<T>): Promise<T | 'refused'> {
  try {
    return await promise
  } catch (error) {
    if (isMlflowError(error) && error.status >= 400 && error.status < 500) return 'refused'
    throw error
  }
}

/** The ArtifactStore contract, run once per backend (local folder, S3). */
export function artifactStoreCases(backend: ArtifactBackend): void {
  let store: ArtifactStore
  beforeEach(async () => {
    store = await backend.fresh()
  })

  it('round-trips binary data from async iterables and web streams', async () => {
    const bytes = Buffer.concat([
      Buffer.from(Array.from({ length: 256 }, (_, i) => i)),
      randomBytes(70_000),
    ])
    await store.put(p('bin/all-bytes.bin'), chunks(bytes.subarray(0, 1000), bytes.subarray(1000)))
    const file = await store.get(p('bin/all-bytes.bin'))
    expect(file?.size).toBe(bytes.length)
    expect((await readAll(file!.body)).equals(bytes)).toBe(true)
    const web = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new Uint8Array([0, 255, 10, 13]))
        controller.close()
      },
    })
    await store.put(p('bin/web.bin'), web)
    expect(await content(store, 'bin/web.bin')).toEqual(Buffer.from([0, 255, 10, 13]))
    await store.put(p('bin/empty'), chunks())
    expect((await store.get(p('bin/empty')))?.size).toBe(0)
  })

  it('creates nested folders and treats folders and missing paths as not files', async () => {
    await store.put(p('a/b/c/d.txt'), chunks(Buffer.from('deep')))
    expect(await store.list(p(''))).toEqual([{ path: 'a', is_dir: true }])
    expect(await store.list(p('a/b'))).toEqual([{ path: 'c', is_dir: true }])
    expect((await content(store, 'a/b/c/d.txt'))?.toString()).toBe('deep')
    expect(await store.get(p('a/b'))).toBeUndefined()
    expect(await store.get(p('a/b/c/missing.txt'))).toBeUndefined()
    expect(await store.get(p('a/b/c/d.txt/below'))).toBeUndefined()
    expect(await store.get(p(''))).toBeUndefined()
  })

  it('lists basenames sorted, folders without size, empty files without size', async () => {
    await store.put(p('dir/z.txt'), chunks(Buffer.from('zzz')))
    await store.put(p('dir/a.txt'), chunks(Buffer.from('a')))
    await store.put(p('dir/empty'), chunks())
    await store.put(p('dir/sub/x.bin'), chunks(Buffer.from('x')))
    await store.put(p('dir/B.txt'), chunks(Buffer.from('bb')))
    const expected: FileInfo[] = [
      { path: 'B.txt', is_dir: false, file_size: 2 },
      { path: 'a.txt', is_dir: false, file_size: 1 },
      { path: 'empty', is_dir: false },
      { path: 'sub', is_dir: true },
      { path: 'z.txt', is_dir: false, file_size: 3 },
    ]
    expect(await store.list(p('dir'))).toEqual(expected)
    expect(await store.list(p('dir/'))).toEqual(expected)
    expect(await store.list(p('dir/z.txt'))).toEqual([])
    expect(await store.list(p('missing'))).toEqual([])
    expect(await store.list(p('missing/deeper'))).toEqual([])
  })

  it('overwrites a file in place', async () => {
    await store.put(p('o/file.txt'), chunks(Buffer.from('first version')))
    await store.put(p('o/file.txt'), chunks(Buffer.from('2nd')))
    expect((await content(store, 'o/file.txt'))?.toString()).toBe('2nd')
    expect(await store.list(p('o'))).toEqual([{ path: 'file.txt', is_dir: false, file_size: 3 }])
  })

  it('deletes a file, a whole tree of any size, and ignores missing paths', async () => {
    const paths = Array.from({ length: backend.treeSize }, (_, i) => p(`tree/${i % 7}/f${i}.txt`))
    if (backend.seed !== undefined) await backend.seed(store, paths)
    else for (const path of paths) await store.put(path, chunks(Buffer.from('x')))
    await store.put(p('tree-sibling/keep.txt'), chunks(Buffer.from('keep')))
    await store.put(p('treex'), chunks(Buffer.from('keep')))
    await store.put(p('single/one.txt'), chunks(Buffer.from('1')))
    await store.put(p('single/two.txt'), chunks(Buffer.from('2')))
    expect((await walked(store, 'tree')).length).toBe(backend.treeSize)

    await store.delete(p('single/one.txt'))
    expect(await store.get(p('single/one.txt'))).toBeUndefined()
    expect(await store.list(p('single'))).toEqual([
      { path: 'two.txt', is_dir: false, file_size: 1 },
    ])
    await store.delete(p('tree'))
    expect(await store.list(p('tree'))).toEqual([])
    expect(await walked(store, 'tree')).toEqual([])
    expect((await content(store, 'tree-sibling/keep.txt'))?.toString()).toBe('keep')
    expect((await content(store, 'treex'))?.toString()).toBe('keep')
    await store.delete(p('missing/file.txt'))
    await store.delete(p('single/one.txt'))
    expect(await outcome(store.delete(p('')))).toBe('refused')
  })

  it('walks every file under a folder with its size', async () => {
    await store.put(p('w/a.txt'), chunks(Buffer.from('aa')))
    await store.put(p('w/sub/b.bin'), chunks(Buffer.from('bbb')))
    await store.put(p('w/sub/deeper/c'), chunks())
    await store.put(p('other/d.txt'), chunks(Buffer.from('d')))
    expect(await walked(store, 'w')).toEqual(['w/a.txt:2', 'w/sub/b.bin:3', 'w/sub/deeper/c:0'])
    expect(await walked(store, '')).toHaveLength(4)
    expect(await walked(store, 'w/a.txt')).toEqual([])
    expect(await walked(store, 'nothing')).toEqual([])
  })

  it('joins a three-part multipart upload, aborts others, refuses bad completions', async () => {
    // S3 requires every part but the last to be at least 5 MiB.
    const parts = [randomBytes(5 << 20), randomBytes(5 << 20), randomBytes(1234)]
    const path = p('mpu/model.bin')
    const id = await store.createMultipartUpload(path)
    const etags: string[] = []
    for (const [i, part] of parts.entries()) {
      etags.push(await store.uploadPart(id, path, i + 1, chunks(part), part.length))
    }
    expect(await store.list(p(''))).toEqual([])
    expect(
      await outcome(store.completeMultipartUpload(id, path, [{ part_number: 1, etag: '"0"' }])),
    ).toBe('refused')
    await store.completeMultipartUpload(
      id,
      path,
      etags.map((etag, i) => ({ part_number: i + 1, etag })),
    )
    const joined = await content(store, 'mpu/model.bin')
    expect(joined !== undefined && joined.equals(Buffer.concat(parts))).toBe(true)
    expect(await store.list(p(''))).toEqual([{ path: 'mpu', is_dir: true }])

    const aborted = await store.createMultipartUpload(p('mpu/aborted.bin'))
    await store.uploadPart(aborted, p('mpu/aborted.bin'), 1, chunks(Buffer.from('x')))
    await store.abortMultipartUpload(aborted, p('mpu/aborted.bin'))
    await store.abortMultipartUpload(aborted, p('mpu/aborted.bin'))
    expect(await store.get(p('mpu/aborted.bin'))).toBeUndefined()
    expect(await outcome(store.uploadPart(id, path, 0, chunks(Buffer.from('x'))))).toBe('refused')
  })

  it('streams 50 MB in and out without holding the body in memory', async () => {
    const total = 50
    const hash = createHash('sha256')
    const memory = new MemoryPeak()
    async function* body(): AsyncIterable<Uint8Array> {
      for (let i = 0; i < total; i++) {
        const chunk = Buffer.alloc(1 << 20, i)
        hash.update(chunk)
        yield chunk
        if (i % 5 === 4) memory.sample()
      }
    }
    await store.put(p('big/blob.bin'), body())
    const file = await store.get(p('big/blob.bin'))
    expect(file?.size).toBe(total << 20)
    const back = createHash('sha256')
    let read = 0
    for await (const chunk of file!.body as unknown as AsyncIterable<Uint8Array>) {
      back.update(chunk)
      read += chunk.length
      if (read % (5 << 20) < chunk.length) memory.sample()
    }
    expect(back.digest('hex')).toBe(hash.digest('hex'))
    expect(memory.peak, `live memory grew by ${memory.mib} MiB`).toBeLessThan(backend.streamBudget)
  })

  it('never reads, lists, writes or deletes anything outside its root', async () => {
    const { attacks, intact } = await backend.plantOutside(store)
    expect(await store.list(p(''))).toEqual([])
    expect(await walked(store, '')).toEqual([])
    for (const raw of attacks) {
      const path = raw as SafePath
      const read = await outcome(store.get(path))
      expect(read === 'refused' || read === undefined, `get ${raw}`).toBe(true)
      const listed = await outcome(store.list(path))
      expect(listed === 'refused' || listed.length === 0, `list ${raw}`).toBe(true)
      await outcome(store.put(path, chunks(Buffer.from('pwned'))))
      await outcome(store.delete(path))
      await outcome(store.createMultipartUpload(path))
    }
    for (const entry of await store.list(p(''))) await store.delete(p(entry.path))
    await intact()
  })
}
