import type { MlflowError } from '../errors.ts'
import { searchSyntaxError } from './syntax-error.ts'
import type { SearchSubject } from './syntax-error.ts'
import { tokenize } from './tokenizer.ts'
import type { Keyword, Token } from './tokenizer.ts'

/** A cursor over the tokens of one search string, which also builds its positioned errors. */
export class TokenStream {
  readonly source: string
  readonly subject: SearchSubject
  private readonly tokens: Token[]
  private index = 0

  constructor(source: string, subject: SearchSubject) {
    this.source = source
    this.subject = subject
    this.tokens = tokenize(source, subject)
  }

  /** The current token (the final `eof` token once everything is consumed). */
  peek(): Token {
    return this.at(this.index)
  }

  /** Returns the current token and moves past it (never past `eof`). */
  next(): Token {
    const token = this.peek()
    if (token.kind !== 'eof') this.index++
    return token
  }

  /** The token before the current one, if any. */
  previous(): Token | undefined {
    return this.index > 0 ? this.at(this.index - 1) : undefined
  }

  /** Consumes and returns the current token when it is the given keyword. */
  acceptKeyword(keyword: Keyword): Token | undefined {
    return isKeyword(this.peek(), keyword) ? this.next() : undefined
  }

  /** An error pointing at `token`, e.g. `Invalid filter "...": unexpected ')' at position 7`. */
  error(token: Token, detail: string, hint?: string): MlflowError {
    return searchSyntaxError(this.subject, this.source, token.pos, detail, hint)
  }

  private at(index: number): Token {
    const token = this.tokens[Math.min(index, this.tokens.length - 1)]
    if (token === undefined) throw new Error('token stream without eof token')
    return token
  }
}

/** True when `token` is the given keyword. */
export function isKeyword(token: Token, keyword: Keyword): boolean {
  return token.kind === 'keyword' && token.value === keyword
}
