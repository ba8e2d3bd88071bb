import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ArtifactStore } from './artifact-store.ts'
import { createLocalArtifactStore } from './local-artifact-store.ts'
import { createS3ArtifactStore } from './s3-artifact-store.ts'
import type { S3ArtifactStoreOptions } from './s3-artifact-store.ts'

/**
 * Opens the server's `--artifacts-destination`: `s3://bucket[/prefix]`, `file:///abs/path` or a
 * folder path (created when missing); other schemes are refused.
 */
export async function openArtifactStore(
  destination: string,
  s3Options: S3ArtifactStoreOptions = {},
): Promise<ArtifactStore> {
  if (/^s3:\/\//i.test(destination)) return createS3ArtifactStore(destination, s3Options)
  if (/^file:/i.test(destination)) return createLocalArtifactStore(fileURLToPath(destination))
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(destination)) {
    throw new Error(
      `Unsupported artifacts destination '${destination}': use a folder path, file:///path or s3://bucket/prefix`,
    )
  }
  return createLocalArtifactStore(resolve(destination))
}
