/**
 * Multipart uploads on a local folder: parts land in `<root>/.logbook-mpu/<uploadId>/` and are
 * streamed, in order, into the target file on completion, so large files never sit in memory.
 */
import { createHash, randomUUID } from 'node:crypto'
import { createReadStream, createWriteStream } from 'node:fs'
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { invalidParam, notFound } from '@logbook/core'
import type { ArtifactBody, UploadedPart } from './artifact-store.ts'
import { checkPartNumber } from './artifact-store.ts'
import { MPU_FOLDER, TEMP_PREFIX, fsError, isMissing } from './local-paths.ts'
import type { SafePath } from './path-safety.ts'
import { toNodeReadable } from './streams.ts'

// Upload ids become folder names, so only our own format (32 hex digits) is ever joined to a path.
const UPLOAD_ID = /^[0-9a-f]{32}$/
const MD5 = /^[0-9a-f]{32}$/
const TARGET_FILE = 'target'

async function* concatenate(files: string[]): AsyncIterable<Uint8Array> {
  for (const file of files) {
    for await (const chunk of createReadStream(file)) yield chunk as Buffer
  }
}

/** Multipart uploads kept under a local store's root; `write` stores the joined file atomically. */
export class LocalMultipartUploads {
  readonly #folder: string
  readonly #write: (path: SafePath, body: ArtifactBody) => Promise<void>

  constructor(root: string, write: (path: SafePath, body: ArtifactBody) => Promise<void>) {
    this.#folder = join(root, MPU_FOLDER)
    this.#write = write
  }

  /** Starts an upload to `path` and returns its id. */
  async create(path: SafePath): Promise<string> {
    const uploadId = randomUUID().replaceAll('-', '')
    const folder = join(this.#folder, uploadId)
    await mkdir(folder, { recursive: true })
    await writeFile(join(folder, TARGET_FILE), path)
    return uploadId
  }

  /** Streams one part to disk while hashing it; returns its quoted MD5 ETag, as S3 does. */
  async part(
    uploadId: string,
    path: SafePath,
    partNumber: number,
    body: ArtifactBody,
  ): Promise<string> {
    checkPartNumber(partNumber)
    const folder = await this.#open(uploadId, path)
    const hash = createHash('md5')
    const hashing = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        hash.update(chunk)
        done(null, chunk)
      },
    })
    const temp = join(folder, `${TEMP_PREFIX}${randomUUID()}`)
    try {
      await pipeline(toNodeReadable(body), hashing, createWriteStream(temp, { flags: 'wx' }))
      const md5 = hash.digest('hex')
      await rename(temp, join(folder, `${partNumber}.${md5}.part`))
      return `"${md5}"`
    } catch (error) {
      await rm(temp, { force: true }).catch(() => undefined)
      throw fsError(error, path)
    }
  }

  /** Joins the listed parts into `path` and removes the upload. */
  async complete(uploadId: string, path: SafePath, parts: UploadedPart[]): Promise<void> {
    const folder = await this.#open(uploadId, path)
    if (parts.length === 0) throw invalidParam('A multipart upload needs at least one part.')
    const files: string[] = []
    let previous = 0
    for (const { part_number: n, etag } of parts) {
      checkPartNumber(n)
      if (n <= previous)
        throw invalidParam('Parts must be listed in ascending order of part_number.')
      previous = n
      const md5 = etag.replaceAll('"', '').toLowerCase()
      const file = join(folder, `${n}.${md5}.part`)
      const found = MD5.test(md5) && (await stat(file).catch(() => undefined))?.isFile() === true
      if (!found) throw invalidParam(`Part ${n} with ETag ${etag} was not uploaded.`)
      files.push(file)
    }
    await this.#write(path, concatenate(files))
    await rm(folder, { recursive: true, force: true })
  }

  /** Removes an upload's parts; an unknown upload is not an error. */
  async abort(uploadId: string, path: SafePath): Promise<void> {
    if (!UPLOAD_ID.test(uploadId)) return
    const folder = await this.#open(uploadId, path).catch((error: unknown) => {
      if ((error as { code?: string }).code === 'RESOURCE_DOES_NOT_EXIST') return undefined
      throw error
    })
    if (folder !== undefined) await rm(folder, { recursive: true, force: true })
  }

  async #open(uploadId: string, path: SafePath): Promise<string> {
    const missing = notFound(`Multipart upload '${uploadId.slice(0, 64)}' does not exist.`)
    if (!UPLOAD_ID.test(uploadId)) throw missing
    const folder = join(this.#folder, uploadId)
    const target = await readFile(join(folder, TARGET_FILE), 'utf8').catch((error: unknown) => {
      throw isMissing(error) ? missing : error
    })
    if (target !== path) throw invalidParam(`Multipart upload '${uploadId}' is not for '${path}'.`)
    return folder
  }
}
