import { useId, useState, type FormEvent } from 'react'

/** Chosen metrics as removable chips plus a searchable input (datalist) to add one more. */
export function MetricPicker({
  keys,
  chosen,
  onChange,
}: {
  keys: string[]
  chosen: string[]
  onChange: (keys: string[]) => void
}) {
  const [text, setText] = useState('')
  const listId = useId()
  const add = (event: FormEvent): void => {
    event.preventDefault()
    const key = text.trim()
    if (!key || chosen.includes(key) || !keys.includes(key)) return
    onChange([...chosen, key])
    setText('')
  }
  return (
    <form className="toolbar metric-picker" onSubmit={add}>
      <span className="muted">Metrics:</span>
      {chosen.length === 0 && <span className="muted">all ({keys.length})</span>}
      {chosen.map((k) => (
        <span key={k} className="chip mono">
          {k}
          <button
            type="button"
            className="ghost chip-x"
            aria-label={`Remove metric ${k}`}
            onClick={() => onChange(chosen.filter((c) => c !== k))}
          >
            ×
          </button>
        </span>
      ))}
      <input
        list={listId}
        placeholder="Add a metric"
        aria-label="Add a metric"
        value={text}
        onChange={(e) => setText(e.target.value)}
      />
      <datalist id={listId}>
        {keys
          .filter((k) => !chosen.includes(k))
          .slice(0, 1000)
          .map((k) => (
            <option key={k} value={k} />
          ))}
      </datalist>
      <button type="submit" disabled={!keys.includes(text.trim())}>
        Add
      </button>
    </form>
  )
}
