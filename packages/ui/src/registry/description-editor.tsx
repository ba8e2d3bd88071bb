import { useState } from 'react'
import { PromptDialog } from '../components/dialog.tsx'
// Markdown rendering (raw HTML escaped, output sanitised) shared with the run page's notes.
import { renderMarkdown } from '../run/note-editor.tsx'

/** A description shown as preformatted text with an Edit button opening a multi-line dialog. */
export function DescriptionEditor({
  text,
  onSave,
  what,
}: {
  text: string | undefined
  what: string
  onSave: (text: string) => Promise<void>
}) {
  const [editing, setEditing] = useState(false)
  return (
    <section className="description">
      <div className="section-head">
        <h2>Description</h2>
        <button
          type="button"
          aria-label={`Edit description of ${what}`}
          onClick={() => setEditing(true)}
        >
          Edit
        </button>
      </div>
      {text ? (
        // renderMarkdown escapes raw HTML and sanitises the result
        <div
          className="description-text"
          dangerouslySetInnerHTML={{ __html: renderMarkdown(text) }}
        />
      ) : (
        <p className="muted">No description.</p>
      )}
      {editing && (
        <PromptDialog
          title={`Description of ${what}`}
          label="Description"
          multiline
          initial={text ?? ''}
          onSubmit={onSave}
          onClose={() => setEditing(false)}
        />
      )}
    </section>
  )
}
