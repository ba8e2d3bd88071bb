/**
 * MLflow's artifact proxy (`mlflow-artifacts`, wire protocol 1.7 and 5.3). Every path comes from
 * the RAW request URL and goes through `safeArtifactPath` exactly once; that one validated value
 * is what the store uses (CVE-2024-1560: validation and use once saw different decodings).
 */
import type { Context, Hono } from 'hono'
import {
  checkPartNumber,
  joinSafePath,
  safeArtifactPath,
} from '@logbook/artifacts'
import type { ArtifactBody, ArtifactStore, SafePath, UploadedPart } from '@logbook/artifacts'
import { invalidParam } from '@logbook/core'
import { readRequest } from '../middleware/request-body.ts'
import { json } from '../rpc.ts'
import { fileResponse, rawQueryParam, rawTarget } from './artifact-http.ts'

const PREFIXES = ['/api/2.0/mlflow-artifacts', '/ajax-api/2.0/mlflow-artifacts'] as const

function invalidPath(): Error {
  return invalidParam('Invalid path')
}

/** The request URL's path exactly as received (still percent-encoded); a fragment is refused. */
function rawUrlPath(c: Context): string {
  const target = rawTarget(c)
  if (target.includes('#')) throw invalidPath()
  const query = target.indexOf('?')
  return target.slice(0, query === -1 ? undefined : query)
}

/** The raw part of the URL path after `<prefix><route>/` ('' when there is none). */
function rawTail(c: Context, route: string): string {
  const path = rawUrlPath(c)
  for (const prefix of PREFIXES) {
    const head = `${prefix}${route}`
    if (path === head) return ''
    if (path.startsWith(`${head}/`)) return path.slice(head.length + 1)
  }
  // Hono matched a spelling of the route that differs from the raw one (e.g. `%61rtifacts`).
  throw invalidPath()
}

async function* noBytes(): AsyncIterable<Uint8Array> {}

function requestBody(c: Context): ArtifactBody {
  return c.req.raw.body ?? noBytes()
}

type Json = Record<string, unknown>

function field(body: Json, name: string): string {
  const value = body[name]
  if (typeof value !== 'string' || value === '') {
    throw invalidParam(`Missing value for required parameter '${name}'.`)
  }
  return value
}

function intField(body: Json, name: string): number {
  const value = body[name]
  const n =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && /^\d+$/.test(value)
        ? Number(value)
        : NaN
  if (!Number.isSafeInteger(n)) {
    throw invalidParam(
      `Invalid value ${JSON.stringify(value ?? null)} for parameter '${name}' supplied.`,
    )
  }
  return n
}

function partsField(body: Json): UploadedPart[] {
  const parts = body.parts
  if (!Array.isArray(parts) || parts.length === 0) {
    throw invalidParam("Missing value for required parameter 'parts'.")
  }
  return parts.map((part: unknown, i) => {
    if (typeof part !== 'object' || part === null)
      throw invalidParam(`Invalid value for parameter 'parts[${i}]' supplied.`)
    return { part_number: intField(part as Json, 'part_number'), etag: field(part as Json, 'etag') }
  })
}

/**
 * The file a multipart upload writes: MLflow's client puts the artifact folder in the URL and the
 * local file in `path`, and the server appends that file's base name (as MLflow's S3 repo does).
 */
function uploadTarget(dir: SafePath, localPath: string): SafePath {
  const name = safeArtifactPath(
    localPath.slice(Math.max(localPath.lastIndexOf('/'), localPath.lastIndexOf('\\')) + 1),
  )
  if (name === '' || name.includes('/')) throw invalidPath()
  return joinSafePath(dir, name)
}

async function download(c: Context, store: ArtifactStore): Promise<Response> {
  return fileResponse(c, store, safeArtifactPath(rawTail(c, '/artifacts')))
}

async function list(c: Context, store: ArtifactStore): Promise<Response> {
  const files = await store.list(safeArtifactPath(rawQueryParam(c, 'path') ?? ''))
  return json({ files })
}

async function createUpload(c: Context, store: ArtifactStore): Promise<Response> {
  const dir = safeArtifactPath(rawTail(c, '/mpu/create'))
  const body = (await readRequest(c)) as Json
  const target = uploadTarget(dir, field(body, 'path'))
  const numParts = intField(body, 'num_parts')
  checkPartNumber(numParts)
  const uploadId = await store.createMultipartUpload(target)
  // Parts come back to this server (not to presigned storage URLs), so local folders work too.
  const origin = new URL(c.req.url).origin
  const encoded = target.split('/').map(encodeURIComponent).join('/')
  const base = `${origin}${PREFIXES[0]}/mpu/part/${encodeURIComponent(uploadId)}`
  const credentials = Array.from({ length: numParts }, (_, i) => ({
    url: `${base}/${i + 1}/${encoded}`,
    part_number: i + 1,
    headers: {},
  }))
  return json({ upload_id: uploadId, credentials })
}

async function uploadPart(c: Context, store: ArtifactStore): Promise<Response> {
  const [rawId = '', rawNumber = '', ...rest] = rawTail(c, '/mpu/part').split('/')
  let uploadId: string
  try {
    uploadId = decodeURIComponent(rawId)
  } catch {
    throw invalidParam('Invalid upload id')
  }
  const partNumber = /^\d{1,5}$/.test(rawNumber) ? Number(rawNumber) : Number.NaN
  checkPartNumber(partNumber)
  const path = safeArtifactPath(rest.join('/'))
  const length = c.req.header('content-length')
  const size = length !== undefined && /^\d+$/.test(length) ? Number(length) : undefined
  const etag = await store.uploadPart(uploadId, path, partNumber, requestBody(c), size)
  return new Response('{}', { status: 200, headers: { 'content-type': 'application/json', etag } })
}

async function completeUpload(c: Context, store: ArtifactStore): Promise<Response> {
  const dir = safeArtifactPath(rawTail(c, '/mpu/complete'))
  const body = (await readRequest(c)) as Json
  const target = uploadTarget(dir, field(body, 'path'))
  await store.completeMultipartUpload(field(body, 'upload_id'), target, partsField(body))
  return json({})
}

async function abortUpload(c: Context, store: ArtifactStore): Promise<Response> {
  const dir = safeArtifactPath(rawTail(c, '/mpu/abort'))
  const body = (await readRequest(c)) as Json
  await store.abortMultipartUpload(field(body, 'upload_id'), uploadTarget(dir, field(body, 'path')))
  return json({})
}

/** Registers the artifact proxy under `/api/2.0/mlflow-artifacts` and `/ajax-api/2.0/mlflow-artifacts`. */
export function artifactProxyRoutes(app: Hono, store: ArtifactStore): void {
  for (const prefix of PREFIXES) {
    app.get(`${prefix}/artifacts`, (c) => list(c, store))
    app.get(`${prefix}/artifacts/*`, (c) => download(c, store))
    app.put(`${prefix}/artifacts/*`, async (c) => {
      await store.put(safeArtifactPath(rawTail(c, '/artifacts')), requestBody(c))
      return json({})
    })
    app.delete(`${prefix}/artifacts/*`, async (c) => {
      await store.delete(safeArtifactPath(rawTail(c, '/artifacts')))
      return json({})
    })
    app.post(`${prefix}/mpu/create/*`, (c) => createUpload(c, store))
    app.put(`${prefix}/mpu/part/*`, (c) => uploadPart(c, store))
    app.post(`${prefix}/mpu/complete/*`, (c) => completeUpload(c, store))
    app.post(`${prefix}/mpu/abort/*`, (c) => abortUpload(c, store))
  }
}
