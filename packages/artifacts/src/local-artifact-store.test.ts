import { mkdtempSync } from 'node:fs'
import { mkdir, readFile, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { isMlflowError } from '@logbook/core'
import type { ArtifactStore } from './artifact-store.ts'
import { artifactStoreCases } from './artifact-store.case.ts'
import { LocalArtifactStore, createLocalArtifactStore } from './local-artifact-store.ts'
import { safeArtifactPath } from './path-safety.ts'
import type { SafePath } from './path-safety.ts'

const workDir = mkdtempSync(join(tmpdir(), 'logbook-artifacts-'))
afterAll(() => rm(workDir, { recursive: true, force: true }))
let counter = 0

async function fresh(): Promise<LocalArtifactStore> {
  counter += 1
  return createLocalArtifactStore(join(workDir, `case-${counter}`, 'root'))
}

/** Outside the root: a secret file and folder, reached from inside through planted symlinks. */
async function plantOutside(store: ArtifactStore) {
  const root = (store as LocalArtifactStore).root
  const outside = join(dirname(root), 'outside')
  await mkdir(join(outside, 'dir'), { recursive: true })
  await writeFile(join(outside, 'secret.txt'), 'secret')
  await writeFile(join(outside, 'dir', 'keep.txt'), 'keep')
  await symlink(outside, join(root, 'link'))
  await symlink(join(outside, 'secret.txt'), join(root, 'linkfile'))
  await symlink(join(outside, 'nope'), join(root, 'dangling'))
  const attacks = ['link', 'link/secret.txt', 'link/dir', 'link/dir/keep.txt', 'link/new.txt']
  attacks.push('linkfile', 'dangling', 'dangling/x.txt', '../outside/secret.txt', '../outside')
  return {
    attacks,
    async intact() {
      expect(await readFile(join(outside, 'secret.txt'), 'utf8')).toBe('secret')
      expect(await readFile(join(outside, 'dir', 'keep.txt'), 'utf8')).toBe('keep')
      expect((await readdir(outside)).sort()).toEqual(['dir', 'secret.txt'])
    },
  }
}

describe('ArtifactStore on a local folder', () =>
  artifactStoreCases({ fresh, plantOutside, treeSize: 60, streamBudget: 16 << 20 }))

const p = (raw: string): SafePath => safeArtifactPath(raw)

async function code(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise
    return undefined
  } catch (error) {
    return isMlflowError(error) ? `${error.status} ${error.message}` : String(error)
  }
}

async function* body(text: string): AsyncIterable<Uint8Array> {
  yield Buffer.from(text)
}

describe('LocalArtifactStore specifics', () => {
  it('refuses symlinks leading outside the root with 400 for every operation', async () => {
    const store = await fresh()
    const { intact } = await plantOutside(store)
    for (const path of ['link/secret.txt', 'linkfile', 'link', 'dangling/x.txt']) {
      expect(await code(store.get(p(path))), path).toBe('400 Invalid path')
      expect(await code(store.put(p(path), body('pwned'))), path).toBe('400 Invalid path')
      expect(await code(store.delete(p(path))), path).toBe('400 Invalid path')
    }
    expect(await code(store.list(p('link')))).toBe('400 Invalid path')
    await intact()
  })

  it('follows symlinks that stay inside the root, and deletes a link, not its target', async () => {
    const store = await fresh()
    await store.put(p('real/a.txt'), body('inside'))
    await symlink(join(store.root, 'real'), join(store.root, 'alias'))
    expect(await store.list(p(''))).toEqual([
      { path: 'alias', is_dir: true },
      { path: 'real', is_dir: true },
    ])
    const file = await store.get(p('alias/a.txt'))
    expect(file?.size).toBe(6)
    await file?.body.cancel()
    await store.delete(p('alias'))
    expect(await store.list(p(''))).toEqual([{ path: 'real', is_dir: true }])
    expect(await store.list(p('real'))).toEqual([{ path: 'a.txt', is_dir: false, file_size: 6 }])
  })

  it('hides and refuses its own bookkeeping folders and temp files', async () => {
    const store = await fresh()
    const id = await store.createMultipartUpload(p('x/big.bin'))
    await store.uploadPart(id, p('x/big.bin'), 1, body('part'))
    expect((await stat(join(store.root, '.logbook-mpu', id))).isDirectory()).toBe(true)
    expect(await store.list(p(''))).toEqual([])
    expect(await code(store.list(p('.logbook-mpu')))).toBe('400 Invalid path')
    expect(await code(store.get(p(`.logbook-mpu/${id}/target`)))).toBe('400 Invalid path')
    expect(await code(store.delete(p('.logbook-mpu')))).toBe('400 Invalid path')
    expect(await code(store.put(p('a/.logbook-tmp-1'), body('x')))).toBe('400 Invalid path')
    expect(await code(store.uploadPart('../../etc', p('x/big.bin'), 1, body('x')))).toMatch(/^404 /)
    expect(await code(store.uploadPart(id, p('x/other.bin'), 1, body('x')))).toMatch(/^400 /)
  })

  it('leaves no file behind when an upload breaks, and keeps the old version', async () => {
    const store = await fresh()
    await store.put(p('f/model.bin'), body('old'))
    async function* broken(): AsyncIterable<Uint8Array> {
      yield Buffer.alloc(1000, 1)
      throw new Error('connection reset')
    }
    await expect(store.put(p('f/model.bin'), broken())).rejects.toThrow('connection reset')
    expect(await readdir(join(store.root, 'f'))).toEqual(['model.bin'])
    expect(await readFile(join(store.root, 'f', 'model.bin'), 'utf8')).toBe('old')
  })

  it('maps user mistakes on the file system to 4xx', async () => {
    const store = await fresh()
    await store.put(p('file.txt'), body('x'))
    await store.put(p('folder/inner.txt'), body('x'))
    expect(await code(store.put(p('file.txt/below.txt'), body('x')))).toMatch(/^400 /)
    expect(await code(store.put(p('folder'), body('x')))).toMatch(/^400 /)
    expect(await code(store.get(p('file.txt/below.txt')))).toBeUndefined()
    expect(await store.get(p('file.txt/below.txt'))).toBeUndefined()
    expect(await code(store.get('a\u0000b' as SafePath))).toMatch(/^400 |^undefined$/)
    expect(await code(store.put('a\u0000b' as SafePath, body('x')))).toMatch(/^400 /)
  })
})
