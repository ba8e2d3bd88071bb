import { useLayoutEffect, useRef, useState, type ReactNode } from 'react'

/** How near the viewport (px) a block mounts. */
const MARGIN = 300

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
    { rootMargin: `${MARGIN}px 0px` },
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
  // A block already near the viewport mounts before the first paint, without waiting a frame for
  // the observer's first report (the chart then fetches its series sooner).
  useLayoutEffect(() => {
    const el = ref.current
    if (!el) return undefined
    const box = el.getBoundingClientRect()
    if (box.top < window.innerHeight + MARGIN && box.bottom > -MARGIN) setVisible(true)
    return observe(el, setVisible)
  }, [])
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
