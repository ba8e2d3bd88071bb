import { useMemo } from 'react'
import { artifactUrl, useLoad } from '../api.ts'
import { artifactKind, formatBytes } from './artifact-kind.ts'
import { CsvTable } from './csv-table.tsx'
import { MlmodelSummary } from './mlmodel-summary.tsx'

/** Text previews read at most this much of a file (the rest is a download away). */
export const PREVIEW_BYTES = 1024 * 1024

/** The first `limit` bytes of a file as text, and whether there was more. */
async function readHead(
  url: string,
  limit: number,
  signal: AbortSignal,
): Promise<{ text: string; truncated: boolean }> {
  const response = await fetch(url, { signal })
  if (!response.ok || !response.body)
    throw new Error(`Could not read the file (HTTP ${response.status})`)
  const reader = response.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  let truncated = false
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    chunks.push(value)
    size += value.byteLength
    if (size >= limit) {
      truncated = size > limit || !(await reader.read()).done
      await reader.cancel()
      break
    }
  }
  const bytes = new Uint8Array(Math.min(size, limit))
  let offset = 0
  for (const chunk of chunks) {
    const part = chunk.subarray(0, Math.min(chunk.byteLength, bytes.byteLength - offset))
    bytes.set(part, offset)
    offset += part.byteLength
    if (offset >= bytes.byteLength) break
  }
  return { text: new TextDecoder().decode(bytes), truncated }
}

function Download({ url, name, size }: { url: string; name: string; size?: number }) {
  return (
    <a className="button download" href={url} download={name}>
      Download {name}
      {size !== undefined ? ` (${formatBytes(size)})` : ''}
    </a>
  )
}

/** Preview of one artifact, chosen by its name: image, text, JSON, YAML, CSV/TSV, sandboxed HTML, MLmodel. */
export function ArtifactPreview({
  runId,
  path,
  name,
  size,
}: {
  runId: string
  path: string
  name: string
  size?: number
}) {
  const url = artifactUrl(runId, path)
  const kind = artifactKind(name)
  if (kind === 'image') {
    // SVG too: as an <img> its scripts never run and it cannot reach our page.
    return (
      <div className="preview-body">
        <img className="preview-image" src={url} alt={path} />
        <Download url={url} name={name} size={size} />
      </div>
    )
  }
  if (kind === 'binary') {
    return (
      <div className="preview-body">
        <p className="muted">
          No preview for this file type{size !== undefined ? ` (${formatBytes(size)})` : ''}.
        </p>
        <Download url={url} name={name} size={size} />
      </div>
    )
  }
  return <TextualPreview url={url} kind={kind} name={name} size={size} />
}

function TextualPreview({
  url,
  kind,
  name,
  size,
}: {
  url: string
  kind: string
  name: string
  size?: number
}) {
  const head = useLoad((signal) => readHead(url, PREVIEW_BYTES, signal), [url])
  const pretty = useMemo(() => {
    if (kind !== 'json' || !head.data || head.data.truncated) return undefined
    try {
      return JSON.stringify(JSON.parse(head.data.text), null, 2)
    } catch {
      return undefined
    }
  }, [kind, head.data])
  if (head.error)
    return (
      <p className="error" role="alert">
        {head.error.message}
      </p>
    )
  if (!head.data) return <p className="muted">Loading…</p>
  const { text, truncated } = head.data
  let body
  if (kind === 'csv' || kind === 'tsv')
    body = <CsvTable text={text} delimiter={kind === 'tsv' ? '\t' : ','} truncated={truncated} />
  else if (kind === 'mlmodel') body = <MlmodelSummary text={text} />
  else if (kind === 'html') {
    // sandbox="" (no allow-scripts, no allow-same-origin): the document gets an opaque origin and
    // none of its scripts run, so an artifact can never act inside the UI's origin.
    body = (
      <iframe
        className="preview-html"
        title={`HTML artifact ${name}`}
        sandbox=""
        srcDoc={text}
        referrerPolicy="no-referrer"
      />
    )
  } else
    body = (
      <pre className={`preview-text${kind === 'json' ? ' json' : ''}`} data-kind={kind}>
        {pretty ?? text}
      </pre>
    )
  return (
    <div className="preview-body">
      {truncated && (
        <p className="muted">Showing the first {formatBytes(PREVIEW_BYTES)} of the file.</p>
      )}
      {body}
      <Download url={url} name={name} size={size} />
    </div>
  )
}
