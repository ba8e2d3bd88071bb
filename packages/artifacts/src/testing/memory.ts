/** Measuring live memory in tests: a forced GC first, so only memory still referenced counts. */
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

let gc: (() => void) | undefined

/** V8's `gc()`, exposed at run time when the process was not started with --expose-gc. */
export function exposeGc(): () => void {
  gc ??= (globalThis as { gc?: () => void }).gc
  if (gc === undefined) {
    setFlagsFromString('--expose-gc')
    gc = runInNewContext('gc') as () => void
  }
  return gc
}

/** Tracks the largest growth of heap plus buffer memory over a baseline taken at creation. */
export class MemoryPeak {
  readonly #gc = exposeGc()
  readonly #base: number
  peak = 0

  constructor() {
    this.#base = this.#live()
  }

  /** Collects garbage, then records the current growth. */
  sample(): void {
    this.peak = Math.max(this.peak, this.#live() - this.#base)
  }

  /** The peak in MiB, for messages. */
  get mib(): string {
    return (this.peak / 2 ** 20).toFixed(1)
  }

  #live(): number {
    this.#gc()
    const usage = process.memoryUsage()
    return usage.heapUsed + usage.arrayBuffers
  }
}
