import { describe, expect, it } from 'vitest'
import { MlflowError } from './errors.ts'
import { decodeUntilStable, parseModelVersionSource } from './model-source.ts'

function rejects(source: string): string {
  try {
    parseModelVersionSource(source)
  } catch (e) {
    expect(e).toBeInstanceOf(MlflowError)
    expect((e as MlflowError).code).toBe('INVALID_PARAMETER_VALUE')
    return (e as MlflowError).message
  }
  throw new Error(`expected ${source} to be rejected`)
}

describe('parseModelVersionSource', () => {
  it('classifies the accepted forms', () => {
    expect(parseModelVersionSource('models:/m-0123')).toEqual({
      kind: 'logged-model',
      modelId: 'm-0123',
    })
    expect(parseModelVersionSource('models:/iris/3')).toEqual({
      kind: 'model-version',
      name: 'iris',
      version: 3,
    })
    expect(parseModelVersionSource('models:/iris/Latest')).toEqual({
      kind: 'model-version',
      name: 'iris',
    })
    expect(parseModelVersionSource('models:/iris/Production')).toEqual({
      kind: 'model-version',
      name: 'iris',
      stage: 'Production',
    })
    expect(parseModelVersionSource('models:/my@model@champion')).toEqual({
      kind: 'model-version',
      name: 'my@model',
      alias: 'champion',
    })
    expect(parseModelVersionSource('runs:/abc/path/to/model')).toEqual({
      kind: 'run',
      runId: 'abc',
      path: 'path/to/model',
    })
    expect(parseModelVersionSource('runs:///abc')).toEqual({ kind: 'run', runId: 'abc', path: '' })
    for (const uri of [
      'mlflow-artifacts:/models',
      'mlflow-artifacts:/models/',
      'mlflow-artifacts:///x',
      'mlflow-artifacts:/a/..../b',
    ]) {
      expect(parseModelVersionSource(uri)).toEqual({ kind: 'artifacts', uri })
    }
  })

  it('rejects local paths, file: and every other scheme, whatever the case', () => {
    for (const source of [
      '/etc',
      'model',
      'file:///etc',
      'File:/etc',
      's3://b/k',
      'gs://b/k',
      'HTTPS://h/x',
      'dbfs:/x',
      'C:\\x',
    ]) {
      expect(rejects(source)).toContain('Invalid model version source')
    }
  })

  it('rejects hosts, traversal after repeated decoding, NUL, queries and fragments', () => {
    expect(rejects('mlflow-artifacts://host:9000/models')).toContain('host')
    expect(rejects('models://h/m-1')).toContain('host')
    for (const source of [
      'mlflow-artifacts:/models/../../../',
      'mlflow-artifacts:/a/..%2f..%2fetc',
      'mlflow-artifacts:/a/%252E%252E/etc',
      'mlflow-artifacts:/a%00',
      'mlflow-artifacts:/a\\..\\b',
      'runs:/r/a/%2e%2e/%2e%2e',
      'models:/../1',
    ]) {
      expect(rejects(source)).toContain('relative path')
    }
    expect(rejects('mlflow-artifacts:/a?x=1')).toContain('Queries')
    expect(rejects('runs:/r/a%23b')).toContain('Queries')
  })

  it('rejects malformed models:/ and runs:/ URIs', () => {
    for (const source of [
      'models:',
      'models:/',
      'models:/a/b/c',
      'models:/a/',
      'models:/@x',
      'models:/a@',
      'runs:/',
      'runs:',
    ]) {
      expect(rejects(source)).toContain('Invalid model version source')
    }
  })
})

describe('decodeUntilStable', () => {
  it('decodes nested escapes, plus signs and invalid UTF-8 byte-wise', () => {
    expect(decodeUntilStable('%25252e')).toBe('.')
    expect(decodeUntilStable('a+b')).toBe('a b')
    expect(decodeUntilStable('%ff%2e')).toBe('\u00ff.')
  })
})
