import { openAsBlob } from 'node:fs'
import { readdir, stat } from 'node:fs/promises'
import { basename, join, relative } from 'node:path'
import type { LocalFile } from '../run.ts'

/**
 * The files under a local path, each as a file-backed Blob (streamed by fetch, never read whole):
 * a file yields itself under its own name, a folder every file below it by relative path.
 */
export async function* readLocalFiles(localPath: string): AsyncIterable<LocalFile> {
  if (!(await stat(localPath)).isDirectory()) {
    yield { path: basename(localPath), data: await openAsBlob(localPath) }
    return
  }
  const entries = await readdir(localPath, { recursive: true, withFileTypes: true })
  const files = entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort()
  for (const full of files) {
    const path = relative(localPath, full).split(/[\\/]/).join('/')
    yield { path, data: await openAsBlob(full) }
  }
}
