/**
 * MIME types of artifact downloads, as MLflow's `_guess_mime_type` picks them (wire protocol 1.7):
 * text formats are `text/plain` so browsers and tests see exactly that, the rest follows Python's
 * built-in `mimetypes` table, unknown is `application/octet-stream`.
 */

// MLflow's get_text_extensions(); whole names (no extension) match too: MLmodel, MLproject.
// prettier-ignore
const TEXT = new Set([
  'txt', 'log', 'err', 'cfg', 'conf', 'cnf', 'cf', 'ini', 'properties', 'prop', 'hocon', 'toml',
  'yaml', 'yml', 'xml', 'json', 'js', 'py', 'py3', 'csv', 'tsv', 'md', 'rst', 'ipynb', 'MLmodel',
  'MLproject',
])

// Python's built-in mimetypes table (without /etc/mime.types) for the types artifacts commonly have.
// prettier-ignore
const TYPES: Record<string, string> = {
  png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', bmp: 'image/bmp',
  svg: 'image/svg+xml', webp: 'image/webp', ico: 'image/vnd.microsoft.icon', tif: 'image/tiff',
  tiff: 'image/tiff', avif: 'image/avif', heic: 'image/heic', pdf: 'application/pdf',
  html: 'text/html', htm: 'text/html', css: 'text/css', c: 'text/plain', h: 'text/plain',
  zip: 'application/zip', tar: 'application/x-tar', h5: 'application/x-hdf5',
  wasm: 'application/wasm', sh: 'application/x-sh', rtf: 'application/rtf',
  ps: 'application/postscript', eps: 'application/postscript', tex: 'application/x-tex',
  pyc: 'application/x-python-code', xls: 'application/vnd.ms-excel', doc: 'application/msword',
  ppt: 'application/vnd.ms-powerpoint', mjs: 'application/javascript', wav: 'audio/x-wav',
  mp3: 'audio/mpeg', aac: 'audio/aac', mp4: 'video/mp4', mov: 'video/quicktime',
  avi: 'video/x-msvideo', webm: 'video/webm', mpeg: 'video/mpeg', mpg: 'video/mpeg',
}

// Python strips a compression suffix before looking the type up (`a.csv.gz` is text/csv), and
// knows a few combined suffixes.
const COMPRESSION = new Set(['gz', 'Z', 'bz2', 'xz', 'br'])
// prettier-ignore
const COMBINED: Record<string, string> = { tgz: 'tar', taz: 'tar', tz: 'tar', tbz2: 'tar', txz: 'tar', svgz: 'svg' }
// Python's own types for MLflow's text extensions, reached through upper case (`A.JSON`) or
// a compression suffix (`a.csv.gz`), where MLflow's exact-match text rule does not apply.
// prettier-ignore
const PYTHON_TEXT_TYPES: Record<string, string> = {
  txt: 'text/plain', json: 'application/json', xml: 'text/xml', js: 'application/javascript',
  csv: 'text/csv', tsv: 'text/tab-separated-values',
}

function lookUp(extension: string): string | undefined {
  return (
    TYPES[extension] ?? TYPES[extension.toLowerCase()] ?? PYTHON_TEXT_TYPES[extension.toLowerCase()]
  )
}

/** The Content-Type MLflow's server would send for a file name (never with a charset). */
export function guessMimeType(fileName: string): string {
  const name = fileName.slice(fileName.lastIndexOf('/') + 1)
  const dot = name.lastIndexOf('.')
  const extension = dot <= 0 ? '' : name.slice(dot + 1)
  if (TEXT.has(extension === '' ? name : extension)) return 'text/plain'
  if (extension === '') return 'application/octet-stream'
  const combined = COMBINED[extension.toLowerCase()]
  if (combined !== undefined) return lookUp(combined) ?? 'application/octet-stream'
  if (COMPRESSION.has(extension)) {
    const inner = name.slice(0, dot)
    const innerDot = inner.lastIndexOf('.')
    if (innerDot <= 0) return 'application/octet-stream'
    return lookUp(inner.slice(innerDot + 1)) ?? 'application/octet-stream'
  }
  return lookUp(extension) ?? 'application/octet-stream'
}
