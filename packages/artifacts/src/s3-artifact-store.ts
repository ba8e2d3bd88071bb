import { Readable } from 'node:stream'
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3'
import type { ListObjectsV2CommandOutput, S3ClientConfig } from '@aws-sdk/client-s3'
import { Upload } from '@aws-sdk/lib-storage'
import { invalidParam, notFound } from '@logbook/core'
import { checkPartNumber } from './artifact-store.ts'
import type {
  ArtifactBody,
  ArtifactFile,
  ArtifactStore,
  FileInfo,
  UploadedPart,
} from './artifact-store.ts'
import { isSafeName, safeArtifactPath } from './path-safety.ts'
import type { SafePath } from './path-safety.ts'
import { parseS3Uri, s3ClientConfig } from './s3-config.ts'
import { nodeToWebStream, toNodeReadable } from './streams.ts'

/** Options of {@link createS3ArtifactStore}; the defaults suit production. */
export interface S3ArtifactStoreOptions {
  /** Environment to read the endpoint and region from (default `process.env`). */
  env?: NodeJS.ProcessEnv
  /** Extra client settings, e.g. explicit credentials in tests. */
  client?: Partial<S3ClientConfig>
  /** Part size of uploads (default 8 MiB; S3's minimum is 5 MiB). */
  partSize?: number
  /** Parts uploaded at once (default 4); memory per upload is about partSize * (queueSize + 1). */
  queueSize?: number
}

// S3 caps DeleteObjects at 1000 keys, which is also the largest page ListObjectsV2 returns.
const DELETE_BATCH = 1000

function s3Error(error: unknown, path: SafePath): unknown {
  const name = (error as { name?: unknown } | null)?.name
  switch (name) {
    case 'NoSuchUpload':
      return notFound(`Multipart upload for '${path}' does not exist.`)
    case 'InvalidPart':
    case 'InvalidPartOrder':
    case 'EntityTooSmall':
    case 'EntityTooLarge':
      return invalidParam(`S3 refused the upload of '${path}': ${name}.`)
    default:
      return error
  }
}

function byPath(a: FileInfo, b: FileInfo): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0
}

/** Artifacts under a key prefix of one S3 bucket (AWS or any S3-compatible server). */
export class S3ArtifactStore implements ArtifactStore {
  readonly client: S3Client
  readonly bucket: string
  /** Key prefix of the root, without slashes at the ends ('' for the whole bucket). */
  readonly prefix: string
  /** '' or the prefix with a trailing slash: keys outside it are never listed, read or deleted. */
  readonly #base: string
  readonly #partSize: number
  readonly #queueSize: number

  constructor(client: S3Client, bucket: string, prefix: string, partSize = 8 << 20, queueSize = 4) {
    this.client = client
    this.bucket = bucket
    this.prefix = prefix
    this.#base = prefix === '' ? '' : `${prefix}/`
    this.#partSize = partSize
    this.#queueSize = queueSize
  }

  async put(path: SafePath, body: ArtifactBody): Promise<void> {
    const Key = this.#fileKey(path)
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key, Body: toNodeReadable(body) },
      partSize: this.#partSize,
      queueSize: this.#queueSize,
      leavePartsOnError: false,
    })
    await upload.done().catch((error: unknown) => {
      throw s3Error(error, path)
    })
  }

  async get(path: SafePath): Promise<ArtifactFile | undefined> {
    if (path === '') return undefined
    try {
      const Key = this.#fileKey(path)
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key }))
      const body = out.Body
      if (body === undefined) return undefined
      const stream = body instanceof Readable ? nodeToWebStream(body) : body.transformToWebStream()
      return { body: stream, size: out.ContentLength ?? 0 }
    } catch (error) {
      if ((error as { name?: unknown }).name === 'NoSuchKey') return undefined
      throw s3Error(error, path)
    }
  }

  async list(dir: SafePath): Promise<FileInfo[]> {
    const prefix = this.#folderPrefix(dir)
    const files: FileInfo[] = []
    for await (const page of this.#pages(prefix, '/')) {
      for (const common of page.CommonPrefixes ?? []) {
        const name = common.Prefix?.slice(prefix.length, -1) ?? ''
        if (isSafeName(name)) files.push({ path: name, is_dir: true })
      }
      for (const object of page.Contents ?? []) {
        const name = object.Key?.slice(prefix.length) ?? ''
        if (!isSafeName(name)) continue
        const size = object.Size ?? 0
        files.push(
          size > 0 ? { path: name, is_dir: false, file_size: size } : { path: name, is_dir: false },
        )
      }
    }
    return files.sort(byPath)
  }

  async delete(path: SafePath): Promise<void> {
    const Key = this.#fileKey(path)
    for await (const page of this.#pages(`${Key}/`)) {
      const keys = (page.Contents ?? []).flatMap((o) =>
        o.Key === undefined ? [] : [{ Key: o.Key }],
      )
      for (let i = 0; i < keys.length; i += DELETE_BATCH) {
        const Objects = keys.slice(i, i + DELETE_BATCH)
        const out = await this.client.send(
          new DeleteObjectsCommand({ Bucket: this.bucket, Delete: { Objects, Quiet: true } }),
        )
        const failed = out.Errors?.[0]
        if (failed !== undefined) {
          throw new Error(`S3 could not delete ${failed.Key}: ${failed.Code} ${failed.Message}`)
        }
      }
    }
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key }))
  }

  async *walk(dir: SafePath): AsyncIterable<{ path: SafePath; size: number }> {
    for await (const page of this.#pages(this.#folderPrefix(dir))) {
      for (const object of page.Contents ?? []) {
        const rel = object.Key?.slice(this.#base.length) ?? ''
        // Keys written by other tools may not be clean paths; those are not ours to report.
        const path = cleanPath(rel)
        if (path !== undefined) yield { path, size: object.Size ?? 0 }
      }
    }
  }

  async createMultipartUpload(path: SafePath): Promise<string> {
    const out = await this.client.send(
      new CreateMultipartUploadCommand({ Bucket: this.bucket, Key: this.#fileKey(path) }),
    )
    if (out.UploadId === undefined) throw new Error('S3 returned no UploadId')
    return out.UploadId
  }

  async uploadPart(
    uploadId: string,
    path: SafePath,
    partNumber: number,
    body: ArtifactBody,
    size?: number,
  ): Promise<string> {
    checkPartNumber(partNumber)
    // S3 needs a part's length up front; without one the part is read into memory first.
    const Body = size === undefined ? await readAll(body) : toNodeReadable(body)
    const command = new UploadPartCommand({
      Bucket: this.bucket,
      Key: this.#fileKey(path),
      UploadId: uploadId,
      PartNumber: partNumber,
      Body,
      ContentLength: size ?? (Body as Buffer).length,
    })
    const out = await this.client.send(command).catch((error: unknown) => {
      throw s3Error(error, path)
    })
    return out.ETag ?? ''
  }

  async completeMultipartUpload(
    uploadId: string,
    path: SafePath,
    parts: UploadedPart[],
  ): Promise<void> {
    if (parts.length === 0) throw invalidParam('A multipart upload needs at least one part.')
    for (const part of parts) checkPartNumber(part.part_number)
    const Parts = parts.map((p) => ({ PartNumber: p.part_number, ETag: p.etag }))
    await this.client
      .send(
        new CompleteMultipartUploadCommand({
          Bucket: this.bucket,
          Key: this.#fileKey(path),
          UploadId: uploadId,
          MultipartUpload: { Parts },
        }),
      )
      .catch((error: unknown) => {
        throw s3Error(error, path)
      })
  }

  async abortMultipartUpload(uploadId: string, path: SafePath): Promise<void> {
    const command = new AbortMultipartUploadCommand({
      Bucket: this.bucket,
      Key: this.#fileKey(path),
      UploadId: uploadId,
    })
    await this.client.send(command).catch((error: unknown) => {
      if ((error as { name?: unknown }).name !== 'NoSuchUpload') throw s3Error(error, path)
    })
  }

  /** The key of a file; the root is a folder, never a file. */
  #fileKey(path: SafePath): string {
    if (path === '') throw invalidParam('Invalid path')
    return this.#base + checked(path)
  }

  #folderPrefix(dir: SafePath): string {
    return dir === '' ? this.#base : `${this.#base}${checked(dir)}/`
  }

  /** Every page of a ListObjectsV2 listing, following continuation tokens to the end. */
  async *#pages(Prefix: string, Delimiter?: string): AsyncIterable<ListObjectsV2CommandOutput> {
    let ContinuationToken: string | undefined
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix, Delimiter, ContinuationToken }),
      )
      yield page
      ContinuationToken = page.IsTruncated === true ? page.NextContinuationToken : undefined
    } while (ContinuationToken !== undefined)
  }
}

/** Defence in depth against a string cast to SafePath: a real one is a fixed point of the resolver. */
function checked(path: SafePath): SafePath {
  if (cleanPath(path) !== path) throw invalidParam('Invalid path')
  return path
}

function cleanPath(rel: string): SafePath | undefined {
  try {
    const path = safeArtifactPath(rel)
    return path === rel && path !== '' ? path : undefined
  } catch {
    return undefined
  }
}

// A part sent without a length is buffered; cap it so a client cannot exhaust memory.
const MAX_BUFFERED_PART = 64 << 20

async function readAll(body: ArtifactBody): Promise<Buffer> {
  const chunks: Buffer[] = []
  let total = 0
  for await (const chunk of toNodeReadable(body)) {
    total += (chunk as Buffer).length
    if (total > MAX_BUFFERED_PART) {
      throw invalidParam('A part sent without Content-Length must be at most 64 MiB.')
    }
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks)
}

/** An S3 store for `s3://bucket[/prefix]`, configured from the environment (see s3-config.ts). */
export function createS3ArtifactStore(
  uri: string,
  options: S3ArtifactStoreOptions = {},
): S3ArtifactStore {
  const { bucket, prefix } = parseS3Uri(uri)
  const client = new S3Client({ ...s3ClientConfig(options.env), ...options.client })
  return new S3ArtifactStore(client, bucket, prefix, options.partSize, options.queueSize)
}
