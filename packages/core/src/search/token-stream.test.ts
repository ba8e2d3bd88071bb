import { describe, expect, it } from 'vitest'
import { isKeyword, TokenStream } from './token-stream.ts'

describe('TokenStream', () => {
  it('walks tokens and stays on eof', () => {
    const stream = new TokenStream('a = 1', 'filter')
    expect(stream.previous()).toBeUndefined()
    expect(stream.next().value).toBe('a')
    expect(stream.peek().value).toBe('=')
    expect(stream.next().value).toBe('=')
    expect(stream.previous()?.value).toBe('=')
    expect(stream.next().value).toBe('1')
    expect(stream.next().kind).toBe('eof')
    expect(stream.next().kind).toBe('eof')
  })

  it('accepts a keyword only when it is next', () => {
    const stream = new TokenStream('not in', 'filter')
    expect(stream.acceptKeyword('IN')).toBeUndefined()
    expect(stream.acceptKeyword('NOT')?.text).toBe('not')
    expect(isKeyword(stream.peek(), 'IN')).toBe(true)
  })

  it('builds errors that quote the source and the position', () => {
    const stream = new TokenStream('a = 1', 'order_by clause')
    stream.next()
    const error = stream.error(stream.peek(), "unexpected '='", 'Expected ASC or DESC')
    expect(error.code).toBe('INVALID_PARAMETER_VALUE')
    expect(error.message).toBe(
      `Invalid order_by clause "a = 1": unexpected '=' at position 3. Expected ASC or DESC`,
    )
  })
})
