import { decodePageToken, encodePageToken, invalidParam } from '@logbook/core'

/** Decode MLflow-style offset page tokens; a malformed token is a 400. */
export function decodeOffset(token: string | undefined): number {
  if (token === undefined || token === '') return 0
  const payload = decodePageToken(token)
  const offset = payload?.offset
  if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 0) {
    throw invalidParam(`Invalid page token, could not base64-decode or parse: '${token.slice(0, 100)}'`)
  }
  return offset
}

/**
 * Split the `maxResults + 1` rows a search fetched into its page and the token of the next page
 * (present only when another page exists, as MLflow does). `extra` travels in the token.
 */
export function offsetPage<T>(
  rows: T[],
  maxResults: number,
  offset: number,
  extra: Record<string, unknown> = {},
): { page: T[]; nextPageToken?: string } {
  return {
    page: rows.slice(0, maxResults),
    nextPageToken: rows.length > maxResults ? encodePageToken({ ...extra, offset: offset + maxResults }) : undefined,
  }
}
