export type {
  ArtifactBody,
  ArtifactFile,
  ArtifactStore,
  FileInfo,
  UploadedPart,
} from './artifact-store.ts'
export { MAX_PART_NUMBER, checkPartNumber } from './artifact-store.ts'
export {
  ROOT_PATH,
  baseName,
  isSafeName,
  joinSafePath,
  parentPath,
  parseArtifactUri,
  safeArtifactPath,
  type SafePath,
} from './path-safety.ts'
export { guessMimeType } from './mime-type.ts'
export { LocalArtifactStore, createLocalArtifactStore } from './local-artifact-store.ts'
export {
  S3ArtifactStore,
  createS3ArtifactStore,
  type S3ArtifactStoreOptions,
} from './s3-artifact-store.ts'
export { parseS3Uri, s3ClientConfig, type S3Location } from './s3-config.ts'
export { openArtifactStore } from './open-artifact-store.ts'
