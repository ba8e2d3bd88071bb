/**
 * Containment of local artifact paths: a `SafePath` has no `..`, but a symlink planted inside the
 * root could still point outside it (MLflow PR #18964), so every operation resolves real paths.
 */
import { lstat, mkdir, realpath } from 'node:fs/promises'
import { join, sep } from 'node:path'
import { MlflowError, invalidParam, isMlflowError } from '@logbook/core'
import type { SafePath } from './path-safety.ts'

/** Folder under the root holding unfinished multipart uploads; never reachable through the API. */
export const MPU_FOLDER = '.logbook-mpu'
/** Prefix of the temporary files uploads stream into before their atomic rename. */
export const TEMP_PREFIX = '.logbook-tmp-'

/** The Node error code of an fs failure, if any. */
export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' ? code : undefined
}

/** True for fs errors that mean "nothing there" (a missing entry, or a file used as a folder). */
export function isMissing(error: unknown): boolean {
  const code = errorCode(error)
  return code === 'ENOENT' || code === 'ENOTDIR'
}

/** True for names Logbook keeps for itself (hidden from listings, refused as paths). */
export function isReservedName(name: string): boolean {
  return name === MPU_FOLDER || name.startsWith(TEMP_PREFIX)
}

/** Refuses paths that name Logbook's own bookkeeping files. */
export function assertNotReserved(path: SafePath): void {
  if (path.split('/').some(isReservedName)) throw invalidParam('Invalid path')
}

/**
 * Maps an fs error caused by a user's path to a 4xx MLflow error; anything else (a full disk, an
 * I/O error) is returned unchanged and becomes a 500.
 */
export function fsError(error: unknown, path: SafePath): unknown {
  if (isMlflowError(error)) return error
  switch (errorCode(error)) {
    case 'ERR_INVALID_ARG_VALUE':
    case 'ERR_INVALID_ARG_TYPE':
    case 'ELOOP':
    case 'ENAMETOOLONG':
      return invalidParam('Invalid path')
    case 'ENOENT':
    case 'ENOTDIR':
    case 'EEXIST':
      return invalidParam(`Cannot write '${path}': a file is in the way of its folders.`)
    case 'EISDIR':
    case 'ENOTEMPTY':
      return invalidParam(`Cannot write '${path}': it is a folder.`)
    case 'EACCES':
    case 'EPERM':
      return new MlflowError('PERMISSION_DENIED', `Permission denied for artifact '${path}'.`)
    default:
      return error
  }
}

/** True when the real path `real` is the root or inside it. */
export function isInside(root: string, real: string): boolean {
  return real === root || real.startsWith(root + sep)
}

/** Throws 400 `Invalid path` unless `real` is the root or inside it. */
export function assertInside(root: string, real: string): void {
  if (!isInside(root, real)) throw invalidParam('Invalid path')
}

/**
 * The real path of `path` under `root` (itself a real path): the deepest existing ancestor is
 * resolved with symlinks followed and must stay inside the root; the missing rest is appended.
 * A dangling symlink anywhere on the way is refused, since its target is unknown.
 */
export async function resolveInside(root: string, path: SafePath): Promise<string> {
  const segments = path === '' ? [] : path.split('/')
  for (let existing = segments.length; existing >= 0; existing--) {
    const candidate = join(root, ...segments.slice(0, existing))
    try {
      const real = await realpath(candidate)
      assertInside(root, real)
      return join(real, ...segments.slice(existing))
    } catch (error) {
      if (!isMissing(error) || existing === 0) throw fsError(error, path)
      const link = await lstat(candidate).catch(() => undefined)
      if (link?.isSymbolicLink()) throw invalidParam('Invalid path')
    }
  }
  throw invalidParam('Invalid path')
}

/**
 * The real path of a leaf entry without following it: its parent is resolved by `resolveInside`;
 * a symlink leaf must point inside the root. The entry itself may not exist.
 */
export async function resolveLeaf(root: string, path: SafePath): Promise<string> {
  const slash = path.lastIndexOf('/')
  const parent = await resolveInside(root, path.slice(0, Math.max(slash, 0)) as SafePath)
  const leaf = join(parent, path.slice(slash + 1))
  const stat = await lstat(leaf).catch((error: unknown) => {
    if (isMissing(error)) return undefined
    throw fsError(error, path)
  })
  if (stat?.isSymbolicLink()) {
    const target = await realpath(leaf).catch(() => {
      throw invalidParam('Invalid path')
    })
    assertInside(root, target)
  }
  return leaf
}

/** Creates the folder `dir` (and parents) under the root and returns its real path, re-checked. */
export async function ensureFolder(root: string, dir: SafePath): Promise<string> {
  const planned = await resolveInside(root, dir)
  try {
    await mkdir(planned, { recursive: true })
    const real = await realpath(planned)
    assertInside(root, real)
    return real
  } catch (error) {
    throw fsError(error, dir)
  }
}
