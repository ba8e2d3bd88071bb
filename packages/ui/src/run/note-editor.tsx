import DOMPurify from 'dompurify'
import { Marked } from 'marked'
import { useMemo, useState } from 'react'
import { mlflow } from '../api.ts'
import { tagValue, type WireRun } from './types.ts'
import { errorMessage } from '../components/format.ts'

const NOTE_TAG = 'mlflow.note.content'

const escapeHtml = (text: string): string =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  )

/**
 * Raw HTML inside a note is shown as text, not parsed: nothing a user pastes can become markup
 * (and Chromium would report inline handlers as CSP violations while DOMPurify merely parses them).
 */
const markdown = new Marked({
  gfm: true,
  breaks: true,
  async: false,
  renderer: { html: ({ text }) => escapeHtml(text) },
})

/** Markdown to HTML with raw HTML escaped and the result sanitised (javascript: links and the like removed). */
export function renderMarkdown(text: string): string {
  return DOMPurify.sanitize(markdown.parse(text) as string, { USE_PROFILES: { html: true } })
}

/** The run's description (MLflow keeps it in the mlflow.note.content tag), rendered as markdown. */
export function NoteEditor({
  run,
  reload,
  editable,
}: {
  run: WireRun
  reload: () => void
  editable: boolean
}) {
  const note = tagValue(run, NOTE_TAG) ?? ''
  const [draft, setDraft] = useState<string>()
  const [error, setError] = useState<string>()
  const [busy, setBusy] = useState(false)
  const html = useMemo(() => renderMarkdown(note), [note])
  const save = async (): Promise<void> => {
    setBusy(true)
    setError(undefined)
    try {
      await mlflow.post('runs/set-tag', {
        run_id: run.info.run_id,
        key: NOTE_TAG,
        value: draft ?? '',
      })
      setDraft(undefined)
      reload()
    } catch (err) {
      setError(errorMessage(err))
    } finally {
      setBusy(false)
    }
  }
  if (draft !== undefined) {
    return (
      <div className="note-editor">
        <textarea
          aria-label="Note (markdown)"
          rows={8}
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          autoFocus
        />
        <div className="toolbar">
          <button type="button" className="primary" disabled={busy} onClick={() => void save()}>
            Save note
          </button>
          <button type="button" onClick={() => setDraft(undefined)}>
            Cancel
          </button>
          {error && (
            <span className="error" role="alert">
              {error}
            </span>
          )}
        </div>
      </div>
    )
  }
  return (
    <div className="note">
      {note ? (
        <div
          className="markdown"
          data-testid="note-rendered"
          dangerouslySetInnerHTML={{ __html: html }}
        />
      ) : (
        <p className="muted">No note.</p>
      )}
      {editable && (
        <button type="button" onClick={() => setDraft(note)}>
          {note ? 'Edit note' : 'Add note'}
        </button>
      )}
    </div>
  )
}
