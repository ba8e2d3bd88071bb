/**
 * Formatting helpers shared by every page: timestamps, durations, metric values.
 * Doubles may arrive in MLflow's wire encoding ("NaN", "Infinity", "-Infinity").
 */

/** A double as the wire sends it. */
export type WireNumber = number | 'NaN' | 'Infinity' | '-Infinity'

/** Wire double to a JS number (NaN/±Infinity restored); undefined/null stay undefined. */
export function toNumber(value: WireNumber | null | undefined): number | undefined {
  if (value === undefined || value === null) return undefined
  if (typeof value === 'number') return value
  if (value === 'NaN') return Number.NaN
  if (value === 'Infinity') return Number.POSITIVE_INFINITY
  if (value === '-Infinity') return Number.NEGATIVE_INFINITY
  return Number(value)
}

/** A metric value with up to `digits` significant digits; NaN and infinities spelled out. */
export function formatNumber(value: WireNumber | null | undefined, digits = 5): string {
  const n = toNumber(value)
  if (n === undefined) return ''
  if (Number.isNaN(n)) return 'NaN'
  if (n === Number.POSITIVE_INFINITY) return '∞'
  if (n === Number.NEGATIVE_INFINITY) return '-∞'
  if (Number.isInteger(n) && Math.abs(n) < 1e15) return String(n)
  const abs = Math.abs(n)
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e9)) return n.toExponential(digits - 1)
  return String(Number(n.toPrecision(digits)))
}

const pad = (n: number): string => String(n).padStart(2, '0')

/** Epoch milliseconds as local "YYYY-MM-DD HH:MM:SS" (sortable, unambiguous); '' when absent. */
export function formatTime(ms: number | string | null | undefined): string {
  if (ms === undefined || ms === null || ms === '' || Number(ms) <= 0) return ''
  const d = new Date(Number(ms))
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`
}

/** "3 min ago" style age of an epoch-ms timestamp relative to `now`. */
export function formatAge(ms: number | string | null | undefined, now = Date.now()): string {
  if (ms === undefined || ms === null || ms === '' || Number(ms) <= 0) return ''
  const s = Math.round((now - Number(ms)) / 1000)
  if (s < 60) return 'just now'
  if (s < 3600) return `${Math.floor(s / 60)} min ago`
  if (s < 86_400) return `${Math.floor(s / 3600)} h ago`
  return `${Math.floor(s / 86_400)} d ago`
}

/** A duration in ms as "850 ms", "12.3 s", "4m 05s", "2h 03m", "3d 4h". */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === undefined || ms === null || !Number.isFinite(ms) || ms < 0) return ''
  if (ms < 1000) return `${Math.round(ms)} ms`
  const s = ms / 1000
  if (s < 60) return `${s.toFixed(1)} s`
  const m = Math.floor(s / 60)
  if (m < 60) return `${m}m ${pad(Math.floor(s % 60))}s`
  const h = Math.floor(m / 60)
  if (h < 24) return `${h}h ${pad(m % 60)}m`
  return `${Math.floor(h / 24)}d ${h % 24}h`
}

/** Duration of a run from start/end (running runs: until now). */
export function runDuration(
  start: number | null | undefined,
  end: number | null | undefined,
  now = Date.now(),
): string {
  if (!start) return ''
  return formatDuration((end && end > 0 ? end : now) - start)
}

/** What a caught error says, for an inline error line. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}
