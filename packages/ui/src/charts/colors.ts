/** Run colours: distinct on light and dark backgrounds, assigned by the run's position in the selection. */
export const PALETTE = [
  '#2f6fde',
  '#e4572e',
  '#17a398',
  '#f0a202',
  '#8e44ad',
  '#d81b60',
  '#3d9970',
  '#6c757d',
  '#00a8e8',
  '#a0522d',
  '#5f4bb6',
  '#c0ca33',
]

export function runColor(index: number): string {
  return PALETTE[index % PALETTE.length]!
}

/** `#rrggbb` with an alpha channel (for the min/max band). */
export function withAlpha(hex: string, alpha: number): string {
  const a = Math.round(alpha * 255)
    .toString(16)
    .padStart(2, '0')
  return `${hex}${a}`
}
