import { describe, expect, it } from 'vitest'
import { guessMimeType } from './mime-type.ts'

describe('guessMimeType', () => {
  it('matches MLflow: text formats are text/plain without charset, the rest by extension', () => {
    const cases: Record<string, string> = {
      'a.txt': 'text/plain',
      'run.log': 'text/plain',
      'm.json': 'text/plain',
      'conda.yaml': 'text/plain',
      'c.yml': 'text/plain',
      'd.csv': 'text/plain',
      'README.md': 'text/plain',
      'train.py': 'text/plain',
      'nb.ipynb': 'text/plain',
      MLmodel: 'text/plain',
      MLproject: 'text/plain',
      'dir/MLmodel': 'text/plain',
      'plot.png': 'image/png',
      'photo.JPG': 'image/jpeg',
      'fig.svg': 'image/svg+xml',
      'doc.pdf': 'application/pdf',
      'page.html': 'text/html',
      'arch.zip': 'application/zip',
      'w.tar.gz': 'application/x-tar',
      'w.tgz': 'application/x-tar',
      'd.csv.gz': 'text/csv',
      'A.JSON': 'application/json',
      'model.pkl': 'application/octet-stream',
      'weights.pt': 'application/octet-stream',
      'x.gz': 'application/octet-stream',
      noext: 'application/octet-stream',
      '.bashrc': 'application/octet-stream',
      mlmodel: 'application/octet-stream',
    }
    for (const [name, type] of Object.entries(cases)) expect(guessMimeType(name), name).toBe(type)
  })
})
