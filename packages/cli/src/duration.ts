/** Parse an age like MLflow's gc `--older-than`: `30d`, `1d2h`, `90m`, `45s` -> milliseconds. */
export function parseDuration(text: string): number {
  const match = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(text.trim())
  if (!match || text.trim() === '') {
    throw new Error(`Invalid duration '${text}': use forms like 30d, 12h, 1d2h30m, 45s`)
  }
  const [d, h, m, s] = match.slice(1).map((v) => Number(v ?? 0)) as [number, number, number, number]
  return ((d * 24 + h) * 60 + m) * 60_000 + s * 1000
}
