import { describe, expect, it } from 'vitest'
import { decodePoint, encodePoint, safeName, safeRelativePath } from './folder-layout.ts'
import { rewriteSource } from './source-rewrite.ts'

describe('metric lines', () => {
  it.each([0.5, -0, 1e-300, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 2 ** 53])(
    'round-trips %s',
    (value) => {
      const line = encodePoint({ step: -3, timestamp: 1_700_000_000_123, value })
      expect(line.endsWith('\n')).toBe(true)
      const back = decodePoint(line.trim())
      expect(back.step).toBe(-3)
      expect(back.timestamp).toBe(1_700_000_000_123)
      expect(Object.is(back.value, value === 0 ? 0 : value) || (Number.isNaN(value) && Number.isNaN(back.value))).toBe(true)
    },
  )
})

describe('paths from a source', () => {
  it('refuses traversal and odd names', () => {
    for (const bad of ['../x', 'a/../../x', '/etc/passwd', 'a//b', 'a\\b', '', 'a/./b', 'x\0']) {
      expect(() => safeRelativePath(bad)).toThrow(/unsafe/)
    }
    expect(safeRelativePath('plots/deep/a b.png')).toBe('plots/deep/a b.png')
    expect(() => safeName('../1')).toThrow()
    expect(safeName('0123abc')).toBe('0123abc')
  })
})

describe('model-version sources', () => {
  const runs = new Map([
    ['old', { runId: 'new', artifactUri: 'mlflow-artifacts:/7/new/artifacts', sourceArtifactUri: 'mlflow-artifacts:/1/old/artifacts' }],
  ])
  const version = { version: '1', currentStage: 'None', tags: [], runId: 'old' }

  it('points runs:/ and artifact-root sources at the new run', () => {
    expect(rewriteSource({ ...version, source: 'runs:/old/model' }, runs).version).toMatchObject({ source: 'runs:/new/model', runId: 'new' })
    expect(rewriteSource({ ...version, source: 'mlflow-artifacts:/1/old/artifacts/m' }, runs).version.source).toBe('mlflow-artifacts:/7/new/artifacts/m')
  })

  it('falls back to the run root for logged-model sources, with a warning', () => {
    const out = rewriteSource({ ...version, source: 'models:/m-123' }, runs)
    expect(out.version.source).toBe('mlflow-artifacts:/7/new/artifacts')
    expect(out.warning).toMatch(/logged-model/)
  })

  it('drops the run id of a run that was not carried', () => {
    expect(rewriteSource({ ...version, runId: 'other', source: 's3://b/k' }, runs).version).toMatchObject({ source: 's3://b/k', runId: undefined })
  })
})
