import { createHmac, randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto'
import { promisify } from 'node:util'
import { invalidParam } from '@logbook/core'

const scrypt = promisify(scryptCb) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: { N: number; r: number; p: number; maxmem: number },
) => Promise<Buffer>

/** scrypt cost: N=2^14, r=8, p=1 (~16 MB, tens of ms), the interactive-login setting of the scrypt paper. */
const N = 16384
const R = 8
const P = 1
const KEY_LENGTH = 32
const MAXMEM = 64 * 1024 * 1024

/** Shortest password accepted (MLflow CVE-2025-1474/11200: empty and one-character passwords). */
export const MIN_PASSWORD_LENGTH = 8

/** Refuse passwords that are too short or too long (scrypt input is bounded to 1000 characters). */
export function checkPassword(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw invalidParam(`Password must be at least ${MIN_PASSWORD_LENGTH} characters long.`)
  }
  if (password.length > 1000) throw invalidParam('Password must be at most 1000 characters long.')
}

/** `scrypt$N$r$p$<salt b64>$<hash b64>` for a new random salt. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16)
  const hash = await scrypt(password, salt, KEY_LENGTH, { N, r: R, p: P, maxmem: MAXMEM })
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64')}$${hash.toString('base64')}`
}

/** Constant-time check of a password against a stored `scrypt$...` hash. */
export async function checkPasswordHash(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$')
  if (scheme !== 'scrypt' || !n || !r || !p || salt === undefined || hash === undefined) return false
  const expected = Buffer.from(hash, 'base64')
  const actual = await scrypt(password, Buffer.from(salt, 'base64'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: MAXMEM,
  })
  return actual.length === expected.length && timingSafeEqual(actual, expected)
}

/** A hash of the dummy password, so unknown users cost the same scrypt as known ones. */
let dummyHash: Promise<string> | undefined
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(16).toString('hex'))
  return dummyHash
}

/**
 * MLflow's client sends Basic credentials on every request and scrypt costs tens of milliseconds, so
 * a verified (stored hash, password) pair is remembered as an HMAC under a per-process random key.
 * The stored hash is part of the key: a password change (new salt) misses the cache at once.
 */
export class VerifiedPasswords {
  private readonly key = randomBytes(32)
  private readonly seen = new Map<string, string>()

  private mac(stored: string, password: string): string {
    return createHmac('sha256', this.key).update(stored).update('\0').update(password).digest('base64')
  }

  has(stored: string, password: string): boolean {
    return this.seen.get(stored) === this.mac(stored, password)
  }

  add(stored: string, password: string): void {
    if (this.seen.size >= 10_000) this.seen.clear()
    this.seen.set(stored, this.mac(stored, password))
  }
}
