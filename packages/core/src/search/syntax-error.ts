import { invalidParam } from '../errors.ts'
import type { MlflowError } from '../errors.ts'

/** What kind of search string is being parsed, as named in error messages. */
export type SearchSubject = 'filter' | 'order_by clause'

/**
 * Builds the INVALID_PARAMETER_VALUE error for a search string, quoting the whole string and
 * the 1-based position of the offending token, e.g. `Invalid filter "a >> 1": unexpected '>' at position 4`.
 */
export function searchSyntaxError(
  subject: SearchSubject,
  source: string,
  pos: number,
  detail: string,
  hint?: string,
): MlflowError {
  const tail = hint === undefined ? '' : `. ${hint}`
  return invalidParam(`Invalid ${subject} "${source}": ${detail} at position ${pos}${tail}`)
}
