import { describe, expect, it } from 'vitest'
import { MlflowError } from '../errors.ts'
import { describeToken, tokenize } from './tokenizer.ts'
import type { Token } from './tokenizer.ts'

const kinds = (source: string): string[] => tokenize(source).map((t) => t.kind)
const values = (source: string): string[] => tokenize(source).map((t) => t.value)

function tokenError(source: string): MlflowError {
  try {
    tokenize(source)
  } catch (e) {
    expect(e).toBeInstanceOf(MlflowError)
    return e as MlflowError
  }
  throw new Error(`expected tokenize(${source}) to throw`)
}

describe('tokenize', () => {
  it('splits a comparison and records 1-based positions', () => {
    const tokens = tokenize('metrics.rmse <= 0.5')
    expect(tokens.map(({ kind, text, pos }) => ({ kind, text, pos }))).toEqual([
      { kind: 'ident', text: 'metrics.rmse', pos: 1 },
      { kind: 'op', text: '<=', pos: 14 },
      { kind: 'number', text: '0.5', pos: 17 },
      { kind: 'eof', text: '', pos: 20 },
    ])
  })

  it('reads every comparator, longest first', () => {
    expect(values('= != < <= > >=').slice(0, -1)).toEqual(['=', '!=', '<', '<=', '>', '>='])
    expect(values('a>=1').slice(0, 3)).toEqual(['a', '>=', '1'])
    expect(values('>>').slice(0, 2)).toEqual(['>', '>'])
  })

  it('reads keywords case-insensitively and upper-cases them', () => {
    const tokens = tokenize('and Or like ILike in NOT is null asc Desc')
    expect(tokens.slice(0, -1).every((t) => t.kind === 'keyword')).toBe(true)
    expect(tokens.map((t) => t.value).slice(0, -1)).toEqual([
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
    ])
  })

  it('keeps dotted names whole, even when a part looks like a keyword', () => {
    expect(tokenize('tags.mlflow.source.type')[0]).toMatchObject({
      kind: 'ident',
      value: 'tags.mlflow.source.type',
    })
    expect(tokenize('params.in')[0]).toMatchObject({ kind: 'ident', value: 'params.in' })
    expect(tokenize('run_name')[0]).toMatchObject({ kind: 'ident', value: 'run_name' })
  })

  it('reads backticked identifiers and prefixed quoted keys', () => {
    expect(tokenize('`my metric`')[0]).toMatchObject({
      kind: 'ident',
      value: 'my metric',
      quote: '`',
      text: '`my metric`',
    })
    expect(tokenize('metrics.`my metric` > 1')[0]).toMatchObject({
      kind: 'ident',
      prefix: 'metrics',
      value: 'my metric',
      quote: '`',
      text: 'metrics.`my metric`',
      pos: 1,
    })
    expect(tokenize('tags."mlflow.source.type"')[0]).toMatchObject({
      kind: 'ident',
      prefix: 'tags',
      value: 'mlflow.source.type',
      quote: '"',
    })
  })

  it('reads single- and double-quoted strings with their quote', () => {
    expect(tokenize("'a b'")[0]).toMatchObject({ kind: 'string', value: 'a b', quote: "'" })
    expect(tokenize('"a b"')[0]).toMatchObject({ kind: 'string', value: 'a b', quote: '"' })
    expect(tokenize("''")[0]).toMatchObject({ kind: 'string', value: '' })
  })

  it('unescapes doubled quotes and backslash-escaped quotes', () => {
    expect(tokenize("'it''s'")[0]).toMatchObject({ value: "it's", text: "'it''s'" })
    expect(tokenize('"say ""hi"""')[0]).toMatchObject({ value: 'say "hi"' })
    expect(tokenize("'it\\'s'")[0]).toMatchObject({ value: "it's" })
    expect(tokenize('"a\\"b"')[0]).toMatchObject({ value: 'a"b' })
    expect(tokenize("'a\\\\'")[0]).toMatchObject({ value: 'a\\' })
    expect(tokenize('`a``b`')[0]).toMatchObject({ kind: 'ident', value: 'a`b' })
  })

  it('keeps other backslash sequences verbatim, so LIKE escapes survive', () => {
    expect(tokenize("'50\\% off'")[0]).toMatchObject({ value: '50\\% off' })
    expect(tokenize("'a\\_b'")[0]).toMatchObject({ value: 'a\\_b' })
  })

  it('reads integers, floats, negatives and exponents', () => {
    const source = '1 -2 3.5 -0.25 .5 1e-3 2E+10 -1.5e3 7.'
    expect(
      kinds(source)
        .slice(0, -1)
        .every((k) => k === 'number'),
    ).toBe(true)
    expect(values(source).slice(0, -1)).toEqual([
      '1',
      '-2',
      '3.5',
      '-0.25',
      '.5',
      '1e-3',
      '2E+10',
      '-1.5e3',
      '7.',
    ])
  })

  it('reads parentheses and commas', () => {
    expect(kinds("run_id IN ('a', 'b')")).toEqual([
      'ident',
      'keyword',
      'lparen',
      'string',
      'comma',
      'string',
      'rparen',
      'eof',
    ])
  })

  it('ignores all whitespace', () => {
    expect(kinds(' \tmetrics.a\n>\r\n1 ')).toEqual(['ident', 'op', 'number', 'eof'])
    expect(tokenize('')).toEqual([{ kind: 'eof', text: '', pos: 1, value: '' }])
  })

  it('rejects an unterminated string at its opening quote', () => {
    const e = tokenError("params.a = 'abc")
    expect(e.code).toBe('INVALID_PARAMETER_VALUE')
    expect(e.message).toBe(
      `Invalid filter "params.a = 'abc": unterminated string 'abc at position 12`,
    )
  })

  it('rejects an unterminated backtick', () => {
    expect(tokenError('metrics.`abc > 1').message).toContain(
      'unterminated identifier `abc > 1 at position 9',
    )
  })

  it('rejects unknown characters with their position', () => {
    expect(tokenError('metrics.a ~ 1').message).toContain("unexpected character '~' at position 11")
    expect(tokenError('a ! 1').message).toContain("unexpected character '!' at position 3")
    expect(tokenError('a = - 1').message).toContain("unexpected character '-' at position 5")
  })

  it('suggests backticks when a special character is glued to a key', () => {
    const message = tokenError('metrics.val-loss > 1').message
    expect(message).toContain("unexpected character '-' at position 12")
    expect(message).toContain('Use backticks')
  })

  it('rejects malformed numbers', () => {
    expect(tokenError('metrics.a > 1.2.3').message).toContain(
      "invalid number '1.2.3' at position 13",
    )
    expect(tokenError('metrics.a > 12abc').message).toContain("invalid number '12abc'")
  })

  it('names order_by clauses in errors when asked', () => {
    expect(() => tokenize('a ~', 'order_by clause')).toThrow('Invalid order_by clause "a ~"')
  })
})

describe('describeToken', () => {
  const token = (kind: Token['kind'], text: string, quote?: Token['quote']): Token => ({
    kind,
    text,
    pos: 1,
    value: text,
    ...(quote === undefined ? {} : { quote }),
  })

  it('quotes bare tokens and shows quoted ones as written', () => {
    expect(describeToken(token('op', '>'))).toBe("'>'")
    expect(describeToken(token('string', "'x'", "'"))).toBe("'x'")
    expect(describeToken(token('ident', '`a b`', '`'))).toBe('`a b`')
    expect(describeToken(token('eof', ''))).toBe('end of input')
  })
})
