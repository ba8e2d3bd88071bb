import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react'
import { complete, type Completion } from './filter-complete.ts'
import type { ExperimentKeys } from './types.ts'

/**
 * The runs filter: MLflow's search grammar plus OR and parentheses. Completes entity prefixes and
 * key names at the caret (a WAI-ARIA combobox); Enter applies, and the server's 400 message for a
 * bad filter is shown under the box.
 */
export function FilterBox({
  value,
  keys,
  error,
  onApply,
  inputRef,
}: {
  value: string
  keys: ExperimentKeys
  error: string | undefined
  onApply: (filter: string) => void
  inputRef: React.RefObject<HTMLInputElement | null>
}) {
  const [text, setText] = useState(value)
  const [menu, setMenu] = useState<{ start: number; items: Completion[] }>({ start: 0, items: [] })
  const [active, setActive] = useState(0)
  const listId = useId()
  const errorId = useId()
  const applied = useRef(value)
  useEffect(() => {
    if (value !== applied.current) {
      applied.current = value
      setText(value)
    }
  }, [value])

  const refresh = (next: string, caret: number): void => {
    setMenu(complete(next, caret, keys))
    setActive(0)
  }
  const accept = (item: Completion): void => {
    const input = inputRef.current
    const caret = input?.selectionStart ?? text.length
    const next = text.slice(0, menu.start) + item.insert + text.slice(caret)
    const pos = menu.start + item.insert.length
    setText(next)
    setMenu({ start: 0, items: [] })
    requestAnimationFrame(() => {
      input?.setSelectionRange(pos, pos)
      if (item.insert.endsWith('.')) refresh(next, pos)
    })
  }
  const apply = (): void => {
    applied.current = text
    setMenu({ start: 0, items: [] })
    onApply(text)
  }
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>): void => {
    const open = menu.items.length > 0
    if (open && e.key === 'ArrowDown') setActive((a) => (a + 1) % menu.items.length)
    else if (open && e.key === 'ArrowUp')
      setActive((a) => (a - 1 + menu.items.length) % menu.items.length)
    else if (open && (e.key === 'Tab' || e.key === 'Enter')) accept(menu.items[active]!)
    else if (open && e.key === 'Escape') setMenu({ start: 0, items: [] })
    else if (e.key === 'Enter') apply()
    else if (e.key === 'Escape') inputRef.current?.blur()
    else return
    e.preventDefault()
  }
  const open = menu.items.length > 0
  return (
    <div className="filter-box">
      <input
        ref={inputRef}
        type="text"
        role="combobox"
        aria-label="Filter runs"
        aria-expanded={open}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={open ? `${listId}-${active}` : undefined}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
        placeholder="Filter: metrics.loss < 0.5 OR params.optimizer = 'adam'   (press / to focus)"
        spellCheck={false}
        autoComplete="off"
        value={text}
        onChange={(e) => {
          setText(e.target.value)
          refresh(e.target.value, e.target.selectionStart ?? e.target.value.length)
        }}
        onKeyDown={onKeyDown}
        onBlur={() => setTimeout(() => setMenu({ start: 0, items: [] }), 150)}
      />
      <button type="button" onClick={apply} aria-label="Apply filter">
        Apply
      </button>
      {text !== '' && (
        <button
          type="button"
          className="ghost"
          aria-label="Clear filter"
          onClick={() => {
            setText('')
            applied.current = ''
            onApply('')
          }}
        >
          ✕
        </button>
      )}
      {open && (
        <ul id={listId} role="listbox" aria-label="Filter completions" className="completions">
          {menu.items.map((item, i) => (
            <li
              key={item.label}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === active}
              onMouseDown={(e) => {
                e.preventDefault()
                accept(item)
              }}
            >
              <span className="mono">{item.label}</span>{' '}
              <span className="muted">{item.detail}</span>
            </li>
          ))}
        </ul>
      )}
      {error && (
        <p id={errorId} className="error filter-error" role="alert">
          {error}
        </p>
      )}
    </div>
  )
}
