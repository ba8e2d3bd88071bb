import { createWriteStream, openAsBlob } from 'node:fs'
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { Readable, Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { LogbookClient } from '@logbook/sdk'
import type { Progress } from '../output/progress.ts'

/** Files moved at once: enough to hide request latency for many small files. */
const CONCURRENCY = 4

/** One file to transfer: its path relative to the run's artifact root and its size if known. */
export interface TransferFile {
  path: string
  size?: number
}

/** Join artifact path segments with single slashes, dropping empty ones. */
export function joinArtifactPath(...parts: (string | undefined)[]): string {
  return parts
    .flatMap((p) => (p ?? '').split('/'))
    .filter((s) => s !== '' && s !== '.')
    .join('/')
}

/** Run `fn` over `items` with at most CONCURRENCY calls in flight; the first failure rejects. */
export async function forEachLimited<T>(items: readonly T[], fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++] as T)
  }
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, items.length) }, worker))
}

/** Every file under a folder of the proxy (`root/path`), with sizes, paths relative to `root`. */
export async function walkRemote(client: LogbookClient, root: string, path: string): Promise<TransferFile[]> {
  const files: TransferFile[] = []
  for (const entry of await client.listArtifacts(joinArtifactPath(root, path))) {
    const child = joinArtifactPath(path, entry.path.split('/').pop())
    if (entry.is_dir) files.push(...(await walkRemote(client, root, child)))
    // A zero size is omitted on the wire.
    else files.push({ path: child, size: Number(entry.file_size ?? 0) })
  }
  return files
}

/** Every regular file under a local folder, paths relative to it with forward slashes. */
export async function walkLocal(dir: string): Promise<(TransferFile & { local: string })[]> {
  const files: (TransferFile & { local: string })[] = []
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    const local = join(entry.parentPath ?? entry.path, entry.name)
    const info = await stat(local)
    if (!info.isFile()) continue
    files.push({ local, path: relative(dir, local).split(sep).join('/'), size: info.size })
  }
  return files.sort((a, b) => a.path.localeCompare(b.path))
}

/**
 * Stream one artifact into `dest/<path>`: into a temporary file renamed into place, so an
 * interrupted download never leaves a truncated file under the final name.
 */
export async function downloadFile(
  client: LogbookClient,
  root: string,
  file: TransferFile,
  dest: string,
  progress: Progress,
): Promise<void> {
  const base = resolve(dest)
  const target = resolve(base, ...file.path.split('/'))
  // Names come from the server's listing: never write outside the destination folder.
  if (!target.startsWith(base + sep)) throw new Error(`Refusing to write '${file.path}' outside ${base}`)
  const res = await client.openArtifact(joinArtifactPath(root, file.path))
  await mkdir(dirname(target), { recursive: true })
  const partial = `${target}.logbook-partial`
  const count = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      progress.advance(chunk.length)
      done(null, chunk)
    },
  })
  try {
    const body = res.body ? Readable.fromWeb(res.body as import('node:stream/web').ReadableStream) : Readable.from([])
    await pipeline(body, count, createWriteStream(partial))
    await rename(partial, target)
  } catch (e) {
    await rm(partial, { force: true })
    throw e
  }
  progress.advance(0, 1)
}

/** Multipart thresholds: MLflow's variable names, smaller defaults so progress moves within a file. */
export function multipartSizes(env: NodeJS.ProcessEnv = process.env): { minimum: number; chunk: number } {
  const read = (name: string, fallback: number) => {
    const v = env[name]
    return v !== undefined && /^\d+$/.test(v) && Number(v) > 0 ? Number(v) : fallback
  }
  return {
    minimum: read('MLFLOW_MULTIPART_UPLOAD_MINIMUM_FILE_SIZE', 64 * 1024 * 1024),
    chunk: read('MLFLOW_MULTIPART_UPLOAD_CHUNK_SIZE', 16 * 1024 * 1024),
  }
}

/**
 * Upload one local file to `<remote path>`, streamed from disk as a Blob. Large files go up in
 * parts through the proxy's multipart routes, so the progress bar moves per part and a failed part
 * is retried alone; a failure aborts the upload.
 */
export async function uploadFile(
  client: LogbookClient,
  remotePath: string,
  local: string,
  size: number,
  progress: Progress,
): Promise<void> {
  const blob = await openAsBlob(local)
  const { minimum, chunk } = multipartSizes()
  if (size < minimum) {
    await client.uploadArtifact(remotePath, blob)
    progress.advance(size, 1)
    return
  }
  const cut = remotePath.lastIndexOf('/')
  const dir = cut === -1 ? '' : remotePath.slice(0, cut)
  const name = remotePath.slice(cut + 1)
  const { uploadId, parts } = await client.createMultipartUpload(dir, name, Math.ceil(size / chunk))
  try {
    const done: { part_number: number; etag: string }[] = []
    for (const part of parts) {
      const start = (part.partNumber - 1) * chunk
      const body = blob.slice(start, Math.min(size, start + chunk))
      done.push({ part_number: part.partNumber, etag: await client.uploadPart(part.url, body) })
      progress.advance(body.size)
    }
    await client.completeMultipartUpload(dir, name, uploadId, done)
  } catch (e) {
    await client.abortMultipartUpload(dir, name, uploadId).catch(() => undefined)
    throw e
  }
  progress.advance(0, 1)
}
