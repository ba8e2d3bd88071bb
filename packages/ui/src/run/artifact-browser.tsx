import { useEffect, useState } from 'react'
import { mlflow, useLoad } from '../api.ts'
import { formatBytes } from './artifact-kind.ts'
import { ArtifactPreview } from './artifact-preview.tsx'
import { setQuery } from '../router.tsx'
import type { WireFileInfo } from './types.ts'

/** Folders of `path` and every ancestor of it ("a/b/c.txt" -> ["a", "a/b"]). */
function ancestors(path: string): string[] {
  const parts = path.split('/').filter(Boolean)
  return parts.slice(0, -1).map((_, i) => parts.slice(0, i + 1).join('/'))
}

const baseName = (path: string): string => path.slice(path.lastIndexOf('/') + 1)

/**
 * The run's artifacts: a lazily listed tree (one artifacts/list call per opened folder) and a preview
 * of the selected file. The selection lives in the URL (?tab=artifacts&path=plots/loss.png).
 */
export function ArtifactBrowser({ runId, selected }: { runId: string; selected: string }) {
  const [open, setOpen] = useState<Set<string>>(() => new Set(ancestors(selected)))
  // Back/forward or a pasted link can select a file in a closed folder: open its ancestors.
  useEffect(() => {
    setOpen((prev) => {
      const missing = ancestors(selected).filter((a) => !prev.has(a))
      return missing.length === 0 ? prev : new Set([...prev, ...missing])
    })
  }, [selected])
  const [files, setFiles] = useState<ReadonlyMap<string, WireFileInfo>>(() => new Map())
  const listed = (list: WireFileInfo[]): void =>
    setFiles((prev) => {
      const next = new Map(prev)
      for (const f of list) next.set(f.path, f)
      return next
    })
  const toggle = (path: string): void => {
    setOpen((prev) => {
      const next = new Set(prev)
      if (next.has(path)) next.delete(path)
      else next.add(path)
      return next
    })
  }
  const select = (file: WireFileInfo): void => {
    if (file.is_dir) toggle(file.path)
    else setQuery({ tab: 'artifacts', path: file.path }, { replace: false })
  }
  const info = files.get(selected)
  return (
    <div className="artifact-browser">
      <nav className="artifact-tree" aria-label="Artifacts">
        <Folder
          runId={runId}
          path=""
          depth={0}
          open={open}
          selected={selected}
          onSelect={select}
          onListed={listed}
        />
      </nav>
      <section className="artifact-preview" aria-label="Preview">
        {selected ? (
          <>
            <div className="preview-head">
              <strong className="mono">{selected}</strong>
              {info?.file_size !== undefined && (
                <span className="muted">{formatBytes(info.file_size)}</span>
              )}
            </div>
            <ArtifactPreview
              key={`${runId}/${selected}`}
              runId={runId}
              path={selected}
              name={baseName(selected)}
              size={info?.file_size}
            />
          </>
        ) : (
          <p className="muted">Select a file to preview it.</p>
        )}
      </section>
    </div>
  )
}

function Folder(props: {
  runId: string
  path: string
  depth: number
  open: Set<string>
  selected: string
  onSelect: (file: WireFileInfo) => void
  onListed: (files: WireFileInfo[]) => void
}) {
  const { runId, path, depth, open, selected, onSelect, onListed } = props
  const listing = useLoad(
    async (signal) => {
      const res = await mlflow.get<{ files?: WireFileInfo[] }>(
        'artifacts/list',
        { run_id: runId, path: path || undefined },
        { signal },
      )
      const files = (res.files ?? []).sort(
        (a, b) => Number(b.is_dir) - Number(a.is_dir) || a.path.localeCompare(b.path),
      )
      onListed(files)
      return files
    },
    [runId, path],
  )
  if (listing.error)
    return (
      <div className="error tree-row" style={{ paddingLeft: depth * 14 + 6 }}>
        {listing.error.message}
      </div>
    )
  if (!listing.data)
    return (
      <div className="muted tree-row" style={{ paddingLeft: depth * 14 + 6 }}>
        Loading…
      </div>
    )
  if (listing.data.length === 0 && depth === 0) return <p className="muted">No artifacts.</p>
  return (
    <ul role={depth === 0 ? 'tree' : 'group'} className="tree">
      {listing.data.map((file) => {
        const isOpen = file.is_dir && open.has(file.path)
        return (
          <li
            key={file.path}
            role="treeitem"
            aria-expanded={file.is_dir ? isOpen : undefined}
            aria-selected={file.path === selected}
          >
            <button
              type="button"
              className={`tree-row${file.path === selected ? ' selected' : ''}`}
              style={{ paddingLeft: depth * 14 + 6 }}
              onClick={() => onSelect(file)}
              title={file.path}
            >
              <span className="tree-icon" aria-hidden>
                {file.is_dir ? (isOpen ? '▾' : '▸') : '·'}
              </span>
              {baseName(file.path)}
              {!file.is_dir && file.file_size !== undefined && (
                <span className="muted tree-size">{formatBytes(file.file_size)}</span>
              )}
            </button>
            {isOpen && <Folder {...props} path={file.path} depth={depth + 1} />}
          </li>
        )
      })}
    </ul>
  )
}
