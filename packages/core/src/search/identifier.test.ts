import { describe, expect, it } from 'vitest'
import { formatField, identifierRef, resolveEntity, RUN_ENTITY_PREFIXES } from './identifier.ts'
import { TokenStream } from './token-stream.ts'

/** The identifier reference of the first token of `source`, without the token itself. */
function ref(
  source: string,
): { prefix: string | undefined; key: string; whole: string } | undefined {
  const found = identifierRef(new TokenStream(source, 'filter').peek())
  return found && { prefix: found.prefix, key: found.key, whole: found.whole }
}

describe('identifierRef', () => {
  it('splits a plain word at its first dot', () => {
    expect(ref('status')).toEqual({ prefix: undefined, key: 'status', whole: 'status' })
    expect(ref('tags.mlflow.user')).toEqual({
      prefix: 'tags',
      key: 'mlflow.user',
      whole: 'tags.mlflow.user',
    })
  })

  it('does not split quoted identifiers', () => {
    expect(ref('`a.b`')).toEqual({ prefix: undefined, key: 'a.b', whole: 'a.b' })
    expect(ref('"Run Name"')).toEqual({ prefix: undefined, key: 'Run Name', whole: 'Run Name' })
    expect(ref('metrics.`a.b`')).toEqual({ prefix: 'metrics', key: 'a.b', whole: 'metrics.a.b' })
  })

  it('joins a dotted prefix onto a quoted key', () => {
    expect(ref('tags.mlflow."a b"')).toEqual({
      prefix: 'tags',
      key: 'mlflow.a b',
      whole: 'tags.mlflow.a b',
    })
  })

  it('returns undefined for tokens that are not identifiers', () => {
    expect(ref("'single'")).toBeUndefined()
    expect(ref('42')).toBeUndefined()
    expect(ref('AND')).toBeUndefined()
  })
})

describe('resolveEntity', () => {
  const resolve = (source: string): unknown => {
    const stream = new TokenStream(source, 'filter')
    const found = identifierRef(stream.peek())
    if (found === undefined) throw new Error('not an identifier')
    return resolveEntity(found, RUN_ENTITY_PREFIXES, stream)
  }

  it('maps prefixes and their aliases to entities', () => {
    expect(resolve('parameters.lr')).toEqual({ entity: 'param', key: 'lr' })
    expect(resolve('dataset.name')).toEqual({ entity: 'dataset', key: 'name' })
    expect(resolve('run.status')).toEqual({ entity: 'attribute', key: 'status' })
  })

  it('makes unknown prefixes part of an attribute name', () => {
    expect(resolve('foo.bar')).toEqual({ entity: 'attribute', key: 'foo.bar' })
  })

  it('rejects an empty key', () => {
    expect(() => resolve('tags.')).toThrow("missing key after 'tags.' at position 1")
  })
})

describe('formatField', () => {
  it('writes fields the way users do, backticking unusual keys', () => {
    expect(formatField({ entity: 'metric', key: 'rmse' })).toBe('metrics.rmse')
    expect(formatField({ entity: 'attribute', key: 'start_time' })).toBe('attributes.start_time')
    expect(formatField({ entity: 'tag', key: 'mlflow.user' })).toBe('tags.mlflow.user')
    expect(formatField({ entity: 'param', key: 'a b' })).toBe('params.`a b`')
  })
})
