import { describe, expect, it } from 'vitest'
import { parseDelimited } from './csv-parse.ts'
import { artifactKind } from './artifact-kind.ts'

describe('parseDelimited', () => {
  it('handles quotes, doubled quotes, delimiters inside quotes and CRLF', () => {
    const text = 'a,b,c\r\n1,"x, y","say ""hi"""\n2,,"multi\nline"\n'
    expect(parseDelimited(text, ',', 10)).toEqual([
      ['a', 'b', 'c'],
      ['1', 'x, y', 'say "hi"'],
      ['2', '', 'multi\nline'],
    ])
  })

  it('stops after maxRows and reads TSV', () => {
    expect(parseDelimited('a\tb\n1\t2\n3\t4\n', '\t', 2)).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ])
  })
})

describe('artifactKind', () => {
  it('chooses the preview from the file name', () => {
    expect(artifactKind('MLmodel')).toBe('mlmodel')
    expect(artifactKind('plot.SVG')).toBe('image')
    expect(artifactKind('report.htm')).toBe('html')
    expect(artifactKind('conda.yaml')).toBe('yaml')
    expect(artifactKind('train.log')).toBe('text')
    expect(artifactKind('model.pkl')).toBe('binary')
    expect(artifactKind('data.tsv')).toBe('tsv')
  })
})
