import type { S3ClientConfig } from '@aws-sdk/client-s3'
import { safeArtifactPath } from './path-safety.ts'

/** Bucket and key prefix of an `s3://bucket/prefix` destination (prefix without slashes at the ends). */
export interface S3Location {
  bucket: string
  prefix: string
}

const BUCKET = /^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$/

/** Parses `s3://bucket[/prefix]`; throws a plain Error for a malformed destination (a startup mistake). */
export function parseS3Uri(uri: string): S3Location {
  const match = /^s3:\/\/([^/]*)\/?(.*)$/i.exec(uri)
  const bucket = match?.[1] ?? ''
  if (!BUCKET.test(bucket))
    throw new Error(`Invalid S3 artifacts destination '${uri}': no bucket name`)
  try {
    return { bucket, prefix: safeArtifactPath(match?.[2] ?? '') }
  } catch {
    throw new Error(`Invalid S3 artifacts destination '${uri}': the key prefix is not a clean path`)
  }
}

/**
 * S3 client settings from the environment MLflow users already set: `MLFLOW_S3_ENDPOINT_URL` or
 * `AWS_ENDPOINT_URL` (path-style addressing then, as MinIO and moto need), `AWS_REGION` or
 * `AWS_DEFAULT_REGION` (default us-east-1); credentials come from the SDK's default chain.
 */
export function s3ClientConfig(env: NodeJS.ProcessEnv = process.env): S3ClientConfig {
  const endpoint = env.MLFLOW_S3_ENDPOINT_URL || env.AWS_ENDPOINT_URL || undefined
  return {
    region: env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1',
    ...(endpoint === undefined ? {} : { endpoint, forcePathStyle: true }),
    // The SDK's default CRC trailers on every upload are refused by several S3-compatible servers;
    // checksums are then sent only where S3 requires them (DeleteObjects).
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  }
}
