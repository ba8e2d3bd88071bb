import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react'
import { errorMessage } from './format.ts'

/**
 * A modal dialog on the native <dialog> element (focus trap, Escape and the top layer for free).
 * `onClose` is called on Escape, on the backdrop and by the caller's buttons.
 */
export function Dialog({
  title,
  onClose,
  children,
  actions,
}: {
  title: string
  onClose: () => void
  children?: ReactNode
  actions?: ReactNode
}) {
  const ref = useRef<HTMLDialogElement>(null)
  const titleId = useId()
  useEffect(() => {
    const dialog = ref.current
    if (dialog && !dialog.open) dialog.showModal()
    return () => dialog?.close()
  }, [])
  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby={titleId}
      onCancel={(e) => {
        e.preventDefault()
        onClose()
      }}
      onClick={(e) => {
        if (e.target === ref.current) onClose()
      }}
    >
      <h2 id={titleId}>{title}</h2>
      {children}
      {actions && <div className="actions">{actions}</div>}
    </dialog>
  )
}

/** Ask a yes/no question; `confirm` may be async and its error is shown inside the dialog. */
export function ConfirmDialog({
  title,
  message,
  confirmLabel = 'OK',
  danger = false,
  onConfirm,
  onClose,
}: {
  title: string
  message: ReactNode
  confirmLabel?: string
  danger?: boolean
  onConfirm: () => Promise<void> | void
  onClose: () => void
}) {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string>()
  const run = async (): Promise<void> => {
    setBusy(true)
    setError(undefined)
    try {
      await onConfirm()
      onClose()
    } catch (err) {
      setError(errorMessage(err))
      setBusy(false)
    }
  }
  return (
    <Dialog
      title={title}
      onClose={onClose}
      actions={
        <>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button
            type="button"
            className={danger ? 'danger' : 'primary'}
            disabled={busy}
            onClick={() => void run()}
          >
            {confirmLabel}
          </button>
        </>
      }
    >
      <div>{message}</div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </Dialog>
  )
}

/** Ask for one line (or several, `multiline`) of text; `onSubmit` errors are shown inline. */
export function PromptDialog({
  title,
  label,
  initial = '',
  submitLabel = 'Save',
  multiline = false,
  onSubmit,
  onClose,
}: {
  title: string
  label: string
  initial?: string
  submitLabel?: string
  multiline?: boolean
  onSubmit: (value: string) => Promise<void> | void
  onClose: () => void
}) {
  const [value, setValue] = useState(initial)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string>()
  const inputId = useId()
  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault()
    setBusy(true)
    setError(undefined)
    try {
      await onSubmit(value)
      onClose()
    } catch (err) {
      setError(errorMessage(err))
      setBusy(false)
    }
  }
  return (
    <Dialog title={title} onClose={onClose}>
      <form onSubmit={(e) => void submit(e)} className="dialog-form">
        <label htmlFor={inputId}>{label}</label>
        {multiline ? (
          <textarea
            id={inputId}
            value={value}
            rows={6}
            autoFocus
            onChange={(e) => setValue(e.target.value)}
          />
        ) : (
          <input id={inputId} value={value} autoFocus onChange={(e) => setValue(e.target.value)} />
        )}
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <div className="actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy}>
            {submitLabel}
          </button>
        </div>
      </form>
    </Dialog>
  )
}
