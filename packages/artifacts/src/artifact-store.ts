import { invalidParam } from '@logbook/core'
import type { SafePath } from './path-safety.ts'

/** One entry of a folder listing, in MLflow's wire shape (`file_size` only for non-empty files). */
export interface FileInfo {
  path: string
  is_dir: boolean
  file_size?: number
}

/** A body to store: Node streams and async generators are async iterables of bytes. */
export type ArtifactBody = AsyncIterable<Uint8Array> | ReadableStream<Uint8Array>

/** A stored file opened for reading. */
export interface ArtifactFile {
  body: ReadableStream<Uint8Array>
  size: number
}

/** A part of a multipart upload, as MLflow's client reports it on completion. */
export interface UploadedPart {
  part_number: number
  etag: string
}

/** Where the artifact proxy keeps files; every path is a `SafePath` relative to the store's root. */
export interface ArtifactStore {
  /** Streams a body to `path`, creating parent folders and replacing an existing file. */
  put(path: SafePath, body: ArtifactBody): Promise<void>
  /** Opens a file for streaming; undefined when the path is missing or a folder. */
  get(path: SafePath): Promise<ArtifactFile | undefined>
  /** Direct children of a folder, sorted by name; a file or a missing path lists as []. */
  list(dir: SafePath): Promise<FileInfo[]>
  /** Deletes a file or a whole folder tree; a missing path is not an error. */
  delete(path: SafePath): Promise<void>
  /** Every file inside a folder (paths relative to the store's root), e.g. for garbage collection. */
  walk(dir: SafePath): AsyncIterable<{ path: SafePath; size: number }>
  /** Starts a multipart upload to `path` and returns its id. */
  createMultipartUpload(path: SafePath): Promise<string>
  /** Stores one part (numbered from 1) and returns its ETag; `size` lets S3 stream it. */
  uploadPart(
    uploadId: string,
    path: SafePath,
    partNumber: number,
    body: ArtifactBody,
    size?: number,
  ): Promise<string>
  /** Joins the listed parts, in order, into the file at `path`. */
  completeMultipartUpload(uploadId: string, path: SafePath, parts: UploadedPart[]): Promise<void>
  /** Drops an unfinished upload and its parts; an unknown upload is not an error. */
  abortMultipartUpload(uploadId: string, path: SafePath): Promise<void>
}

/** Largest part number S3 accepts, and so the largest Logbook accepts on any store. */
export const MAX_PART_NUMBER = 10_000

/** Throws 400 unless `n` is a part number S3 would accept (1..10000). */
export function checkPartNumber(n: number): void {
  if (!Number.isInteger(n) || n < 1 || n > MAX_PART_NUMBER) {
    throw invalidParam(
      `Invalid part number ${n}: expected an integer from 1 to ${MAX_PART_NUMBER}.`,
    )
  }
}
