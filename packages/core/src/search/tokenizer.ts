import { searchSyntaxError } from './syntax-error.ts'
import type { SearchSubject } from './syntax-error.ts'

/** Kinds of token a search string is made of. */
export type TokenKind =
  'ident' | 'string' | 'number' | 'op' | 'keyword' | 'lparen' | 'rparen' | 'comma' | 'eof'

/** Reserved words of the search grammar, matched case-insensitively. */
export const KEYWORDS = [
  'AND',
  'OR',
  'LIKE',
  'ILIKE',
  'IN',
  'NOT',
  'IS',
  'NULL',
  'ASC',
  'DESC',
] as const

/** One reserved word, upper-cased. */
export type Keyword = (typeof KEYWORDS)[number]

/** One token of a search string. */
export interface Token {
  kind: TokenKind
  /** The source text exactly as written (empty for `eof`). */
  text: string
  /** 1-based character position of the token's first character (length + 1 for `eof`). */
  pos: number
  /**
   * ident: the name without quotes (`metrics.rmse`, or the quoted key); string: the unescaped
   * content; keyword: upper-cased; op and number: as written.
   */
  value: string
  /** ident written as `` prefix.`key` `` or `prefix."key"`: the part before the dot. */
  prefix?: string
  /** string: its quote character; ident: the quote around its key, when quoted. */
  quote?: '`' | '"' | "'"
}

const KEYWORD_SET: ReadonlySet<string> = new Set(KEYWORDS)
const WORD_START = /[A-Za-z_]/
const WORD_CHAR = /[A-Za-z0-9_.]/
const NUMBER = /-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/y
const WHITESPACE = /\s/

/** Renders a token for an error message: `'AND'`, `'it''s'`, `end of input`. */
export function describeToken(token: Token): string {
  if (token.kind === 'eof') return 'end of input'
  if (token.kind === 'string' || token.quote !== undefined) return token.text
  return `'${token.text}'`
}

/**
 * Splits a search filter or order_by clause into tokens, ending with an `eof` token.
 * Quoted strings support doubled quotes (`'it''s'`) and backslash escapes of quotes and backslashes.
 */
export function tokenize(source: string, subject: SearchSubject = 'filter'): Token[] {
  const tokens: Token[] = []
  const fail = (index: number, detail: string): Error =>
    searchSyntaxError(subject, source, index + 1, detail)
  const badChar = (index: number): Error => {
    const last = tokens.at(-1)
    const glued = last?.kind === 'ident' && last.pos + last.text.length - 1 === index
    const hint = glued ? 'Use backticks around keys with special characters' : undefined
    const detail = `unexpected character '${source.charAt(index)}'`
    return searchSyntaxError(subject, source, index + 1, detail, hint)
  }
  let i = 0
  while (i < source.length) {
    const ch = source.charAt(i)
    const start = i
    const push = (kind: TokenKind, end: number, value: string, extra?: Partial<Token>): void => {
      tokens.push({ kind, text: source.slice(start, end), pos: start + 1, value, ...extra })
      i = end
    }
    if (WHITESPACE.test(ch)) {
      i++
    } else if (ch === '(') {
      push('lparen', i + 1, ch)
    } else if (ch === ')') {
      push('rparen', i + 1, ch)
    } else if (ch === ',') {
      push('comma', i + 1, ch)
    } else if (ch === '=') {
      push('op', i + 1, ch)
    } else if (ch === '<' || ch === '>' || ch === '!') {
      const two = source.charAt(i + 1) === '='
      if (ch === '!' && !two) throw badChar(i)
      push('op', i + (two ? 2 : 1), two ? `${ch}=` : ch)
    } else if (ch === "'" || ch === '"') {
      const { value, end } = readQuoted(source, i, ch, fail)
      push('string', end, value, { quote: ch })
    } else if (ch === '`') {
      const { value, end } = readQuoted(source, i, ch, fail)
      push('ident', end, value, { quote: ch })
    } else if (WORD_START.test(ch)) {
      let end = i + 1
      while (end < source.length && WORD_CHAR.test(source.charAt(end))) end++
      const word = source.slice(i, end)
      const next = source.charAt(end)
      if (word.endsWith('.') && (next === '`' || next === '"')) {
        const quoted = readQuoted(source, end, next, fail)
        push('ident', quoted.end, quoted.value, { prefix: word.slice(0, -1), quote: next })
      } else if (KEYWORD_SET.has(word.toUpperCase())) {
        push('keyword', end, word.toUpperCase())
      } else {
        push('ident', end, word)
      }
    } else if (/[-.\d]/.test(ch)) {
      NUMBER.lastIndex = i
      const match = NUMBER.exec(source)
      if (match === null) throw badChar(i)
      let end = i + match[0].length
      if (end < source.length && WORD_CHAR.test(source.charAt(end))) {
        while (end < source.length && WORD_CHAR.test(source.charAt(end))) end++
        throw fail(i, `invalid number '${source.slice(i, end)}'`)
      }
      push('number', end, source.slice(i, end))
    } else {
      throw badChar(i)
    }
  }
  tokens.push({ kind: 'eof', text: '', pos: source.length + 1, value: '' })
  return tokens
}

/** Reads a quoted run starting at `open`; a doubled quote or a backslash escape stands for itself. */
function readQuoted(
  source: string,
  open: number,
  quote: string,
  fail: (index: number, detail: string) => Error,
): { value: string; end: number } {
  let value = ''
  let i = open + 1
  while (i < source.length) {
    const ch = source.charAt(i)
    const next = source.charAt(i + 1)
    if (ch === quote && next === quote) {
      value += quote
      i += 2
    } else if (ch === quote) {
      return { value, end: i + 1 }
    } else if (ch === '\\' && (next === "'" || next === '"' || next === '`' || next === '\\')) {
      value += next
      i += 2
    } else {
      value += ch
      i++
    }
  }
  const text = source.slice(open)
  const shown = text.length > 20 ? `${text.slice(0, 20)}...` : text
  throw fail(open, `unterminated ${quote === '`' ? 'identifier' : 'string'} ${shown}`)
}
