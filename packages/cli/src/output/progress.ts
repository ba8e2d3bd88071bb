import { formatBytes, formatDuration, formatRate } from './human.ts'

/** Where progress goes: stderr by default; `isTTY` decides whether a bar is drawn. */
export interface ProgressStream {
  isTTY?: boolean
  columns?: number
  write(text: string): boolean
}

export interface ProgressOptions {
  /** Expected total (items or bytes); unknown totals draw a counter instead of a bar. */
  total?: number
  /** `bytes` shows sizes and a transfer rate. */
  unit?: 'items' | 'bytes'
  /** Word for an item in the summary (`runs`, `points`, `files`). */
  noun?: string
  stream?: ProgressStream
  /** Minimum time between redraws. */
  intervalMs?: number
}

const BAR_WIDTH = 28

/**
 * A progress bar on stderr. It draws (throttled, on one line) only when the stream is a terminal,
 * so pipes and log files get just the final summary line from `finish()`.
 */
export class Progress {
  private done = 0
  private items = 0
  private lastDraw = 0
  private readonly started = Date.now()
  private readonly stream: ProgressStream
  private readonly draws: boolean

  constructor(
    private readonly label: string,
    private readonly options: ProgressOptions = {},
  ) {
    this.stream = options.stream ?? process.stderr
    this.draws = this.stream.isTTY === true
  }

  /** Raise the expected total (e.g. once a folder walk has finished). */
  setTotal(total: number): void {
    this.options.total = total
  }

  /** Record progress: `amount` units (bytes or items) and `items` finished items. */
  advance(amount: number, items = 0): void {
    this.done += amount
    this.items += items
    const now = Date.now()
    if (this.draws && now - this.lastDraw >= (this.options.intervalMs ?? 100)) {
      this.lastDraw = now
      this.stream.write(`\r${this.line()}\x1b[K`)
    }
  }

  private amount(n: number): string {
    return this.options.unit === 'bytes' ? formatBytes(n) : String(n)
  }

  private line(): string {
    const total = this.options.total
    const elapsed = Date.now() - this.started
    const rate = this.options.unit === 'bytes' ? `  ${formatRate(this.done, elapsed)}` : ''
    if (total === undefined || total <= 0) return `${this.label}: ${this.amount(this.done)}${rate}`
    const share = Math.min(1, this.done / total)
    const filled = Math.round(share * BAR_WIDTH)
    const bar = `[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}]`
    const pct = `${Math.floor(share * 100)}%`.padStart(4)
    return `${this.label} ${bar} ${pct} ${this.amount(this.done)}/${this.amount(total)}${rate}`
  }

  /** The closing line, e.g. `runs: 1200 runs in 1.3s` or `upload: 12 files, 3.1 MiB in 0.4s (7.8 MiB/s)`. */
  summary(): string {
    const elapsed = Date.now() - this.started
    const noun = this.options.noun ?? 'items'
    if (this.options.unit === 'bytes') {
      return `${this.label}: ${this.items} ${noun}, ${formatBytes(this.done)} in ${formatDuration(elapsed)} (${formatRate(this.done, elapsed)})`
    }
    return `${this.label}: ${this.done} ${noun} in ${formatDuration(elapsed)}`
  }

  /** Clear the bar (on a terminal) and print the summary line. */
  finish(): void {
    this.stream.write(`${this.draws ? '\r\x1b[K' : ''}${this.summary()}\n`)
  }
}
