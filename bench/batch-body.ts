/**
 * A log-batch body serialised once and then patched in place: every step and timestamp sits in a
 * fixed-width field (right-aligned, padded with JSON-legal spaces), so a new request only rewrites
 * digits instead of re-serialising 1,000 metrics.
 */

const STEP_WIDTH = 10
const TS_WIDTH = 13
const STEP_LABEL = ',"step":'
const FIELD_WIDTH = TS_WIDTH + STEP_LABEL.length + STEP_WIDTH
/** Timestamps are T0 + step (ms), so histories look like a real training loop. */
export const T0 = 1_700_000_000_000

function writeRight(buf: Buffer, end: number, n: number, width: number): void {
  let i = end
  let v = n
  do {
    buf[--i] = 48 + (v % 10)
    v = Math.floor(v / 10)
  } while (v > 0)
  while (i > end - width) buf[--i] = 32
}

export class BatchBody {
  readonly buf: Buffer
  readonly points: number
  readonly stepsPerKey: number
  private readonly keys: number
  /** Start offset of each point's `<timestamp>,"step":<step>` region (31 bytes). */
  private readonly fieldAt: Int32Array
  private readonly scratch = Buffer.alloc(FIELD_WIDTH)

  /** keys × stepsPerKey metrics, in step-major order; values repeat across requests. */
  constructor(runId: string, keys: string[], stepsPerKey: number, rand: () => number) {
    this.keys = keys.length
    this.stepsPerKey = stepsPerKey
    this.points = keys.length * stepsPerKey
    this.fieldAt = new Int32Array(this.points)
    const parts: string[] = [`{"run_id":"${runId}","metrics":[`]
    let len = parts[0]!.length
    let n = 0
    for (let s = 0; s < stepsPerKey; s++) {
      for (const key of keys) {
        const head = `${n === 0 ? '' : ','}{"key":"${key}","value":${rand()},"timestamp":`
        len += head.length
        this.fieldAt[n] = len
        parts.push(head, ' '.repeat(FIELD_WIDTH), '}')
        len += FIELD_WIDTH + 1
        n++
      }
    }
    parts.push(']}')
    this.buf = Buffer.from(parts.join(''), 'latin1')
    this.scratch.write(STEP_LABEL, TS_WIDTH, 'latin1')
  }

  /** Points get steps baseStep .. baseStep + stepsPerKey - 1; returns the (shared) buffer. */
  set(baseStep: number): Buffer {
    const { buf, scratch, fieldAt, keys } = this
    for (let s = 0; s < this.stepsPerKey; s++) {
      const step = baseStep + s
      writeRight(scratch, TS_WIDTH, T0 + step, TS_WIDTH)
      writeRight(scratch, FIELD_WIDTH, step, STEP_WIDTH)
      for (let k = 0; k < keys; k++) scratch.copy(buf, fieldAt[s * keys + k] as number)
    }
    return buf
  }
}
