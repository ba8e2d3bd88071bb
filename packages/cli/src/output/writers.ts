import { toWireJson } from '@logbook/core'

/** A table to print: column headers and rows of cells (already strings). */
export interface Table {
  headers: string[]
  rows: string[][]
}

/** One CSV field, quoted when it holds a comma, quote, CR or LF (RFC 4180). */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value
}

/** One CSV record with its line ending. */
export function csvLine(values: readonly string[]): string {
  return `${values.map(csvField).join(',')}\n`
}

/** The whole table as CSV, header first. */
export function toCsv(table: Table): string {
  return csvLine(table.headers) + table.rows.map(csvLine).join('')
}

/** Aligned plain-text columns, two spaces apart, with a dashed rule under the header. */
export function toText(table: Table): string {
  const widths = table.headers.map((h, i) =>
    Math.max(h.length, ...table.rows.map((r) => (r[i] ?? '').length)),
  )
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ').trimEnd()
  const rule = widths.map((w) => '-'.repeat(w))
  return [line(table.headers), line(rule), ...table.rows.map(line)].join('\n') + '\n'
}

/** JSON with MLflow's encoding of NaN and infinities (as strings), pretty-printed. */
export function toJson(value: unknown): string {
  return `${JSON.stringify(JSON.parse(toWireJson(value)), null, 2)}\n`
}

let pipeGuarded = false

/** `logbook metrics history ... | head` closes the pipe early: end quietly, as Unix tools do. */
function guardPipe(): void {
  if (pipeGuarded) return
  pipeGuarded = true
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0)
    throw err
  })
}

/** Write text to stdout and wait until it has been handed to the OS (back-pressure for pipes). */
export function writeOut(text: string): Promise<void> {
  guardPipe()
  return new Promise((resolve, reject) => {
    process.stdout.write(text, (err) => (err ? reject(err) : resolve()))
  })
}
