import { useEffect, useRef, useState, type ReactNode } from 'react'

/**
 * One IntersectionObserver for every lazily mounted block: a page with thousands of charts keeps
 * only the ones near the viewport mounted (others are fixed-height placeholders).
 */
const callbacks = new Map<Element, (visible: boolean) => void>()
let observer: IntersectionObserver | undefined

function observe(el: Element, onChange: (visible: boolean) => void): () => void {
  observer ??= new IntersectionObserver(
    (entries) => {
      for (const entry of entries) callbacks.get(entry.target)?.(entry.isIntersecting)
    },
    { rootMargin: '300px 0px' },
  )
  callbacks.set(el, onChange)
  observer.observe(el)
  return () => {
    callbacks.delete(el)
    observer?.unobserve(el)
  }
}

/** Render `children` only while the block is within 300 px of the viewport. */
export function LazyMount({
  height,
  children,
  label,
}: {
  height: number
  children: ReactNode
  label?: string
}) {
  const ref = useRef<HTMLDivElement>(null)
  const [visible, setVisible] = useState(false)
  useEffect(() => (ref.current ? observe(ref.current, setVisible) : undefined), [])
  return (
    <div ref={ref} className="lazy-block" style={{ minHeight: height }} data-mounted={visible}>
      {visible ? (
        children
      ) : (
        <div className="chart-placeholder" aria-label={label} style={{ height }} />
      )}
    </div>
  )
}
