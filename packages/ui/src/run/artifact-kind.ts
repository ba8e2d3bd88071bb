/** Which preview a file gets, decided by its name (the server's MIME type is a guess from the name too). */
export type ArtifactKind =
  'image' | 'text' | 'json' | 'yaml' | 'csv' | 'tsv' | 'html' | 'mlmodel' | 'binary'

const IMAGE = new Set(['png', 'jpg', 'jpeg', 'gif', 'webp', 'svg', 'bmp', 'ico'])
const TEXT = new Set([
  'txt',
  'log',
  'md',
  'markdown',
  'rst',
  'out',
  'err',
  'py',
  'ipynb',
  'sh',
  'cfg',
  'ini',
  'toml',
  'conf',
  'xml',
  'js',
  'ts',
  'java',
  'c',
  'h',
  'cpp',
  'r',
  'sql',
  'scala',
  'go',
  'rs',
  'tex',
  'diff',
  'patch',
  'env',
  'requirements',
])

export function artifactKind(name: string): ArtifactKind {
  if (name === 'MLmodel') return 'mlmodel'
  const dot = name.lastIndexOf('.')
  const ext = dot === -1 ? '' : name.slice(dot + 1).toLowerCase()
  if (IMAGE.has(ext)) return 'image'
  if (ext === 'json') return 'json'
  if (ext === 'yaml' || ext === 'yml') return 'yaml'
  if (ext === 'csv') return 'csv'
  if (ext === 'tsv') return 'tsv'
  if (ext === 'html' || ext === 'htm') return 'html'
  if (TEXT.has(ext)) return 'text'
  // Extension-less well-known text files (conda/pip environment files, LICENSE, Dockerfile).
  if (
    dot === -1 &&
    /^(LICENSE|README|Dockerfile|Makefile|requirements|python_env|conda)$/i.test(name)
  )
    return 'text'
  return 'binary'
}

/** 1536 -> "1.5 KB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  const units = ['KB', 'MB', 'GB', 'TB']
  let value = bytes / 1024
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`
}
