const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'] as const

/** Bytes for people: `512 B`, `1.5 KiB`, `3.2 GiB`. */
export function formatBytes(bytes: number): string {
  let value = bytes
  let unit = 0
  while (Math.abs(value) >= 1024 && unit < UNITS.length - 1) {
    value /= 1024
    unit++
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(value < 10 ? 2 : 1)} ${UNITS[unit]}`
}

/** A duration for people: `450ms`, `12.3s`, `4m05s`, `2h07m`, `3d04h`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '-'
  if (ms < 1000) return `${Math.round(ms)}ms`
  const s = ms / 1000
  if (s < 60) return `${s.toFixed(1)}s`
  const two = (n: number) => String(Math.floor(n)).padStart(2, '0')
  if (s < 3600) return `${Math.floor(s / 60)}m${two(s % 60)}s`
  if (s < 86_400) return `${Math.floor(s / 3600)}h${two((s % 3600) / 60)}m`
  return `${Math.floor(s / 86_400)}d${two((s % 86_400) / 3600)}h`
}

/** An epoch-milliseconds timestamp as `YYYY-MM-DD HH:MM:SS` (UTC), or '-' when absent. */
export function formatTimestamp(ms: number | undefined): string {
  if (ms === undefined || ms === null || !Number.isFinite(ms) || ms <= 0) return '-'
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 19)
}

/** A transfer rate: bytes per second for people. */
export function formatRate(bytes: number, ms: number): string {
  return `${formatBytes(ms > 0 ? (bytes * 1000) / ms : 0)}/s`
}
