import { randomUUID } from 'node:crypto'
import { constants, createWriteStream } from 'node:fs'
import type { Dirent } from 'node:fs'
import { lstat, mkdir, open, opendir, readdir, realpath, rename, rm, stat } from 'node:fs/promises'
import type { FileHandle } from 'node:fs/promises'
import { join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { invalidParam } from '@logbook/core'
import type {
  ArtifactBody,
  ArtifactFile,
  ArtifactStore,
  FileInfo,
  UploadedPart,
} from './artifact-store.ts'
import { LocalMultipartUploads } from './local-multipart.ts'
import {
  TEMP_PREFIX,
  assertInside,
  assertNotReserved,
  ensureFolder,
  errorCode,
  fsError,
  isInside,
  isMissing,
  isReservedName,
  resolveInside,
  resolveLeaf,
} from './local-paths.ts'
import { baseName, isSafeName, joinSafePath, parentPath } from './path-safety.ts'
import type { SafePath } from './path-safety.ts'
import { fileHandleStream, toNodeReadable } from './streams.ts'

// O_NOFOLLOW: a leaf swapped for a symlink after the containment check is not opened.
// O_NONBLOCK: a FIFO planted in the root does not hang the open (regular files ignore it).
const READ_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK

function byPath(a: FileInfo, b: FileInfo): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0
}

/** Artifacts in a folder on this machine, guarded against traversal and planted symlinks. */
export class LocalArtifactStore implements ArtifactStore {
  /** Real path of the root folder. */
  readonly root: string
  readonly #multipart: LocalMultipartUploads

  constructor(realRoot: string) {
    this.root = realRoot
    this.#multipart = new LocalMultipartUploads(realRoot, (path, body) => this.put(path, body))
  }

  async put(path: SafePath, body: ArtifactBody): Promise<void> {
    assertWritable(path)
    const parent = await ensureFolder(this.root, parentPath(path))
    const target = join(parent, baseName(path))
    const existing = await lstat(target).catch((error: unknown) => {
      if (isMissing(error)) return undefined
      throw fsError(error, path)
    })
    if (existing?.isDirectory()) throw invalidParam(`Cannot write '${path}': it is a folder.`)
    if (existing?.isSymbolicLink()) {
      // The rename below replaces the link itself, but a link leading outside is refused outright.
      assertInside(this.root, await realpath(target).catch(() => ''))
    }
    const temp = join(parent, `${TEMP_PREFIX}${randomUUID()}`)
    try {
      await pipeline(
        toNodeReadable(body),
        createWriteStream(temp, { flags: 'wx', mode: 0o644, flush: true }),
      )
      await rename(temp, target)
    } catch (error) {
      await rm(temp, { force: true }).catch(() => undefined)
      throw fsError(error, path)
    }
  }

  async get(path: SafePath): Promise<ArtifactFile | undefined> {
    assertNotReserved(path)
    if (path === '') return undefined
    const real = await resolveInside(this.root, path)
    let handle: FileHandle
    try {
      handle = await open(real, READ_FLAGS)
    } catch (error) {
      if (isMissing(error) || errorCode(error) === 'EISDIR') return undefined
      throw fsError(error, path)
    }
    const info = await handle.stat()
    if (!info.isFile()) {
      await handle.close()
      return undefined
    }
    return { body: fileHandleStream(handle), size: info.size }
  }

  async list(dir: SafePath): Promise<FileInfo[]> {
    assertNotReserved(dir)
    const real = await resolveInside(this.root, dir)
    let entries: Dirent[]
    try {
      entries = await readdir(real, { withFileTypes: true })
    } catch (error) {
      if (isMissing(error)) return []
      throw fsError(error, dir)
    }
    const files: FileInfo[] = []
    for (const entry of entries) {
      if (isReservedName(entry.name) || !isSafeName(entry.name)) continue
      const info = await this.#describe(join(real, entry.name), entry)
      if (info !== undefined) files.push(info)
    }
    return files.sort(byPath)
  }

  async delete(path: SafePath): Promise<void> {
    assertWritable(path)
    // rm never follows symlinks: a link (leaf or inside the tree) is removed, not its target.
    const leaf = await resolveLeaf(this.root, path)
    await rm(leaf, { recursive: true, force: true }).catch((error: unknown) => {
      throw fsError(error, path)
    })
  }

  async *walk(dir: SafePath): AsyncIterable<{ path: SafePath; size: number }> {
    assertNotReserved(dir)
    yield* walkFolder(await resolveInside(this.root, dir), dir)
  }

  async createMultipartUpload(path: SafePath): Promise<string> {
    await this.#checkTarget(path)
    return this.#multipart.create(path)
  }

  async uploadPart(
    uploadId: string,
    path: SafePath,
    n: number,
    body: ArtifactBody,
  ): Promise<string> {
    await this.#checkTarget(path)
    return this.#multipart.part(uploadId, path, n, body)
  }

  async completeMultipartUpload(
    uploadId: string,
    path: SafePath,
    parts: UploadedPart[],
  ): Promise<void> {
    await this.#checkTarget(path)
    await this.#multipart.complete(uploadId, path, parts)
  }

  async abortMultipartUpload(uploadId: string, path: SafePath): Promise<void> {
    await this.#checkTarget(path)
    await this.#multipart.abort(uploadId, path)
  }

  /** Refuses a multipart target behind a symlink leading outside before any part is stored. */
  async #checkTarget(path: SafePath): Promise<void> {
    assertWritable(path)
    await resolveLeaf(this.root, path)
  }

  /** A listing entry; symlinks are described by their target only when it lies inside the root. */
  async #describe(full: string, entry: Dirent): Promise<FileInfo | undefined> {
    let isDir = entry.isDirectory()
    let size = 0
    if (entry.isSymbolicLink()) {
      const target = await realpath(full).catch(() => undefined)
      if (target === undefined || !isInside(this.root, target)) return undefined
      const info = await stat(target)
      if (!info.isDirectory() && !info.isFile()) return undefined
      isDir = info.isDirectory()
      size = info.size
    } else if (entry.isFile()) {
      size = (await stat(full)).size
    } else if (!isDir) {
      return undefined
    }
    if (isDir) return { path: entry.name, is_dir: true }
    return size > 0
      ? { path: entry.name, is_dir: false, file_size: size }
      : { path: entry.name, is_dir: false }
  }
}

/** Refuses the root and Logbook's own bookkeeping names as write or delete targets. */
function assertWritable(path: SafePath): void {
  if (path === '') throw invalidParam('Invalid path')
  assertNotReserved(path)
}

/** Regular files under `real` (symlinks are not followed, they are not files this store owns). */
async function* walkFolder(
  real: string,
  rel: SafePath,
): AsyncIterable<{ path: SafePath; size: number }> {
  let dir
  try {
    dir = await opendir(real)
  } catch (error) {
    if (isMissing(error)) return
    throw error
  }
  for await (const entry of dir) {
    if (isReservedName(entry.name) || !isSafeName(entry.name)) continue
    const path = joinSafePath(rel, entry.name as SafePath)
    const full = join(real, entry.name)
    if (entry.isDirectory()) yield* walkFolder(full, path)
    else if (entry.isFile()) yield { path, size: (await stat(full)).size }
  }
}

/** Opens (creating if needed) a folder as a local artifact store. */
export async function createLocalArtifactStore(dir: string): Promise<LocalArtifactStore> {
  await mkdir(dir, { recursive: true })
  return new LocalArtifactStore(await realpath(dir))
}
