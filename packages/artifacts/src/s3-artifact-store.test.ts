import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ArtifactStore } from './artifact-store.ts'
import { artifactStoreCases } from './artifact-store.case.ts'
import { safeArtifactPath } from './path-safety.ts'
import type { SafePath } from './path-safety.ts'
import { createS3ArtifactStore } from './s3-artifact-store.ts'
import type { S3ArtifactStore } from './s3-artifact-store.ts'
import { parseS3Uri, s3ClientConfig } from './s3-config.ts'
import { MemoryPeak } from './testing/memory.ts'
import { requireComponent } from './testing/require-component.ts'
import { TEST_CREDENTIALS, s3ServerMissing, startS3Server } from './testing/s3-server.ts'
import type { S3TestServer } from './testing/s3-server.ts'

const missing = s3ServerMissing()
const available = requireComponent(
  'S3-compatible server (moto)',
  missing === undefined,
  missing ?? '',
)

describe.skipIf(!available)('ArtifactStore on S3 (moto)', () => {
  let server: S3TestServer
  let raw: S3Client
  let counter = 0
  beforeAll(async () => {
    server = await startS3Server()
    raw = new S3Client({
      ...s3ClientConfig({ AWS_ENDPOINT_URL: server.endpoint }),
      credentials: TEST_CREDENTIALS,
    })
  }, 120_000)
  afterAll(async () => {
    raw?.destroy()
    await server?.stop()
  })

  function open(
    prefix: string,
    options: { partSize?: number; queueSize?: number } = {},
  ): S3ArtifactStore {
    return createS3ArtifactStore(`s3://${server.bucket}/${prefix}`, {
      env: { AWS_ENDPOINT_URL: server.endpoint },
      client: { credentials: TEST_CREDENTIALS },
      ...options,
    })
  }

  // Parts of 5 MiB (S3's minimum), one in flight: the 50 MB streaming case then proves that memory
  // follows the part size, not the body size (about 20 MiB measured).
  const fresh = async (): Promise<ArtifactStore> =>
    open(`runs/t${++counter}`, { partSize: 5 << 20, queueSize: 1 })

  async function text(key: string): Promise<string | undefined> {
    try {
      const out = await raw.send(new GetObjectCommand({ Bucket: server.bucket, Key: key }))
      return await out.Body?.transformToString()
    } catch {
      return undefined
    }
  }

  /** Keys next to the store's prefix that share its spelling, and one at the bucket's top. */
  async function plantOutside(store: ArtifactStore) {
    const prefix = `runs/t${counter}`
    const planted = [
      'outside.txt',
      `${prefix}-sibling/secret.txt`,
      `${prefix}x`,
      prefix,
      'runs/secret.txt',
    ]
    for (const Key of planted) {
      await raw.send(new PutObjectCommand({ Bucket: server.bucket, Key, Body: `secret ${Key}` }))
    }
    expect(store).toBeDefined()
    return {
      attacks: ['../outside.txt', '..', `../t${counter}x`],
      async intact() {
        for (const key of planted) expect(await text(key), key).toBe(`secret ${key}`)
      },
    }
  }

  /** Raw PutObject calls, 16 at a time: moto needs about 6 ms per object either way. */
  async function seed(store: ArtifactStore, paths: SafePath[]): Promise<void> {
    const prefix = (store as S3ArtifactStore).prefix
    for (let i = 0; i < paths.length; i += 16) {
      const batch = paths
        .slice(i, i + 16)
        .map((path) =>
          raw.send(
            new PutObjectCommand({ Bucket: server.bucket, Key: `${prefix}/${path}`, Body: 'x' }),
          ),
        )
      await Promise.all(batch)
    }
  }

  // 1001 objects: one more than S3's largest page, so deleting the tree must follow a continuation.
  describe('conformance', () =>
    artifactStoreCases({ fresh, plantOutside, seed, treeSize: 1001, streamBudget: 28 << 20 }))

  it('reads the endpoint, region and bucket/prefix from the destination and environment', () => {
    expect(parseS3Uri('s3://bucket/a//b/')).toEqual({ bucket: 'bucket', prefix: 'a/b' })
    expect(parseS3Uri('s3://bucket')).toEqual({ bucket: 'bucket', prefix: '' })
    expect(() => parseS3Uri('s3:///x')).toThrow(/no bucket/)
    expect(() => parseS3Uri('s3://b/../x')).toThrow(/not a clean path/)
    expect(
      s3ClientConfig({ MLFLOW_S3_ENDPOINT_URL: 'http://m:9000', AWS_DEFAULT_REGION: 'eu-west-1' }),
    ).toMatchObject({
      endpoint: 'http://m:9000',
      forcePathStyle: true,
      region: 'eu-west-1',
    })
    expect(s3ClientConfig({})).toMatchObject({ region: 'us-east-1' })
    expect(s3ClientConfig({}).endpoint).toBeUndefined()
  })

  it('keeps memory bounded with the production part size on a body larger than the bound', async () => {
    const store = open('default-config')
    const memory = new MemoryPeak()
    const total = 160
    async function* body(): AsyncIterable<Uint8Array> {
      for (let i = 0; i < total; i++) {
        yield Buffer.alloc(1 << 20, i)
        if (i % 8 === 7) memory.sample()
      }
    }
    const path = safeArtifactPath('x/160mb.bin')
    await store.put(path, body())
    const file = await store.get(path)
    expect(file?.size).toBe(total << 20)
    await file?.body.cancel()
    // lib-storage's chunker copies each part and keeps the previous one alive through a view of the
    // remainder: about 70 MiB was measured for 8 MiB x 4 — bounded, but not small.
    expect(memory.peak, `live memory grew by ${memory.mib} MiB`).toBeLessThan(96 << 20)
    await store.delete(path)
  })
})
