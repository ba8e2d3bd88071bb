import { describe, expect, it } from 'vitest'
import { isMlflowError } from '@logbook/core'
import { isSafeName, joinSafePath, parseArtifactUri, safeArtifactPath } from './path-safety.ts'
import type { SafePath } from './path-safety.ts'

/** The error a call throws, as `<status> <code> <message>`, or 'ok'. */
function outcome(call: () => unknown): string {
  try {
    call()
    return 'ok'
  } catch (error) {
    return isMlflowError(error)
      ? `${error.status} ${error.code} ${error.message}`
      : `non-MLflow ${String(error)}`
  }
}

const INVALID = '400 INVALID_PARAMETER_VALUE Invalid path'

// Every class of security-history.md C, in the encodings attackers used (CVE ids in comments).
const REJECTED: Record<string, string[]> = {
  'plain traversal (CVE-2023-30172, CVE-2023-6015, CVE-2023-6018)': [
    '..',
    '../path',
    '../../path',
    './../path',
    'path/../to/file',
    'path/../../to/file',
    'a/b/..',
    '../../../../../../etc/passwd',
  ],
  percent: ['%2e%2e/x', '%2E%2E%2Fx', '%2E%2E%2F%2E%2E%2Fpath', 'a/%2e%2e', 'a%2f..%2fb'],
  'double percent (CVE-2024-1560)': [
    '%252e%252e%252f',
    '%252e%252e%252fetc',
    'a/%252E%252E/b',
    '%25252e%25252e/x',
  ],
  'backslash (CVE-2023-6831, CVE-2023-6977)': [
    '..\\x',
    'a\\..\\b',
    '\\etc\\passwd',
    '%5c..%5cx',
    'a%255cb',
    'a\\b',
  ],
  mixed: ['..%2f', '..%2fetc', '%2e%2e/', '.%2e/', '%2e./x', '.%2e%2fx', '..%252f..%252fx'],
  absolute: [
    '/path',
    '/etc/passwd',
    '//etc/passwd',
    '%2fetc%2fpasswd',
    '%252fetc',
    '/file://etc/passwd',
  ],
  'Windows drives and UNC (CVE-2023-6753)': [
    'C:',
    'C:/Windows',
    'c:\\windows',
    'C%3a/x',
    './C:/x',
    '\\\\host\\share',
  ],
  'NUL and control characters': [
    '/etc/passwd%00.jpg',
    'a%00b',
    'a\u0000b',
    'a%0ab',
    'a\nb',
    'a%7fb',
    'a%c2%85b',
  ],
  fragment: ['a#b', 'a%23b', 'a%2523b', '#'],
  query: ['a?b', 'a%3fb', 'a%3Fb=1', 'a%253fb'],
  'path parameter': ['a;b', 'a%3bb', 'a/b;jsessionid=1'],
  'schemes (a top-level `name:` is one)': [
    'a:b',
    'file:///etc/passwd',
    'file://etc/passwd',
    'file:/etc/passwd',
    'FILE:x',
    's3://bucket/key',
    'http://evil/x',
    'mlflow-artifacts:/x',
    './file:/etc',
  ],
  'malformed escapes (must not throw a non-MLflow error)': [
    '%c0%ae%c0%ae/x',
    '%',
    'a%',
    '%zz',
    '%e0%80',
    '100%',
  ],
  'over-decoding (more than 10 rounds)': [`%${'25'.repeat(11)}2e%${'25'.repeat(11)}2e`],
}

describe('safeArtifactPath', () => {
  for (const [name, inputs] of Object.entries(REJECTED)) {
    it(`rejects ${name} with 400 "Invalid path"`, () => {
      for (const raw of inputs)
        expect(
          outcome(() => safeArtifactPath(raw)),
          JSON.stringify(raw),
        ).toBe(INVALID)
    })
  }

  it('decodes up to ten rounds, then refuses', () => {
    const encode = (value: string, rounds: number): string =>
      Array.from({ length: rounds }).reduce<string>((v) => encodeURIComponent(v), value)
    expect(safeArtifactPath(encode('a b/c.txt', 10))).toBe('a b/c.txt')
    expect(outcome(() => safeArtifactPath(encode('a b/c.txt', 11)))).toBe(INVALID)
    expect(outcome(() => safeArtifactPath(encode('../x', 10)))).toBe(INVALID)
  })

  it('normalises clean paths: slashes collapsed, `.` dropped, trailing slash dropped', () => {
    const cases: [string, string][] = [
      ['', ''],
      ['.', ''],
      ['./', ''],
      ['a', 'a'],
      ['a//b///c/', 'a/b/c'],
      ['./a/./b/.', 'a/b'],
      ['1/0123abc/artifacts/model/MLmodel', '1/0123abc/artifacts/model/MLmodel'],
      ['dir%2Ffile.txt', 'dir/file.txt'],
      ['with%20space/%C3%A9t%C3%A9.png', 'with space/été.png'],
      ['a+b', 'a+b'],
      ['...', '...'],
      ['a..b/..c/d..', 'a..b/..c/d..'],
      ['x/a:b', 'x/a:b'],
      ['.hidden/x', '.hidden/x'],
    ]
    for (const [raw, expected] of cases) expect(safeArtifactPath(raw), raw).toBe(expected)
  })

  it('rejects over-long paths', () => {
    expect(outcome(() => safeArtifactPath('a/'.repeat(3000)))).toBe(INVALID)
  })
})

describe('helpers', () => {
  it('joins safe paths without decoding again, and recognises safe entry names', () => {
    const dir = safeArtifactPath('1/run/artifacts')
    expect(joinSafePath(dir, safeArtifactPath('model.bin'))).toBe('1/run/artifacts/model.bin')
    expect(joinSafePath('' as SafePath, dir)).toBe(dir)
    expect(isSafeName('model.pkl')).toBe(true)
    for (const bad of ['', '..', '.', 'a/b', 'a#b', 'a%41', 'a\\b', 'C:'])
      expect(isSafeName(bad), bad).toBe(false)
  })
})

describe('parseArtifactUri', () => {
  it('maps mlflow-artifacts URIs into the artifact root', () => {
    expect(parseArtifactUri('mlflow-artifacts:/1/abc/artifacts')).toBe('1/abc/artifacts')
    expect(parseArtifactUri('mlflow-artifacts://host:5000/1/abc/artifacts/m')).toBe(
      '1/abc/artifacts/m',
    )
    expect(parseArtifactUri('mlflow-artifacts:')).toBe('')
    expect(parseArtifactUri('mlflow-artifacts:/')).toBe('')
    expect(parseArtifactUri('MLFLOW-ARTIFACTS:/x')).toBe('x')
    expect(parseArtifactUri('mlflow-artifacts:///etc/passwd')).toBe('etc/passwd')
  })

  it('rejects traversal inside mlflow-artifacts URIs', () => {
    for (const uri of [
      'mlflow-artifacts:/../x',
      'mlflow-artifacts:/1/%252e%252e/x',
      'mlflow-artifacts://h/a/../../b',
      'mlflow-artifacts:/a#b',
    ]) {
      expect(
        outcome(() => parseArtifactUri(uri)),
        uri,
      ).toBe(INVALID)
    }
  })

  it('refuses every other scheme: the server reads only its own root (no SSRF, no local files)', () => {
    for (const uri of [
      'file:///etc/passwd',
      '/etc/passwd',
      's3://bucket/key',
      'http://169.254.169.254/latest',
      'gs://b/k',
      'runs:/abc/model',
      'mlflow-artifact:/x',
    ]) {
      expect(
        outcome(() => parseArtifactUri(uri)),
        uri,
      ).toMatch(/^400 INVALID_PARAMETER_VALUE The artifact URI '.*' is not served by this server/)
    }
  })
})
