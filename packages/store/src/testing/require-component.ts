/**
 * Decides what a test suite does when a real component it needs (PostgreSQL, MLflow, Chromium, ...)
 * is missing on this machine: skip loudly, or fail when LOGBOOK_REQUIRE_ALL=1 (set by .ci/run).
 */

/** Thrown when a required component is missing and LOGBOOK_REQUIRE_ALL=1 forbids skipping. */
export class MissingComponentError extends Error {
  constructor(name: string, why: string) {
    super(`${name} is required (LOGBOOK_REQUIRE_ALL=1) but not available: ${why}`)
    this.name = 'MissingComponentError'
  }
}

/** True when missing components must fail the run instead of skipping (CI sets LOGBOOK_REQUIRE_ALL=1). */
export function requireAll(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.LOGBOOK_REQUIRE_ALL === '1'
}

/**
 * Returns `available`; when the component is missing it throws under LOGBOOK_REQUIRE_ALL=1, otherwise
 * prints a loud warning so the caller can skip (`describe.skipIf(!requireComponent(...))`).
 */
export function requireComponent(
  name: string,
  available: boolean,
  why: string,
  env: NodeJS.ProcessEnv = process.env,
): boolean {
  if (available) return true
  if (requireAll(env)) throw new MissingComponentError(name, why)
  const line = '!'.repeat(78)
  console.warn(
    `\n${line}\n!! SKIPPED: ${name} is not available: ${why}\n` +
      `!! Tests that need it are skipped. Set LOGBOOK_REQUIRE_ALL=1 to make this a failure.\n${line}\n`,
  )
  return false
}
