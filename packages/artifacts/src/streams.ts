import type { FileHandle } from 'node:fs/promises'
import { Readable } from 'node:stream'
import type { ReadableStream as NodeReadableStream } from 'node:stream/web'
import type { ArtifactBody } from './artifact-store.ts'

// MLflow's client reads downloads in 1 MiB chunks; half of that keeps syscalls few and memory flat.
const READ_CHUNK = 512 * 1024

function isWebStream(body: ArtifactBody): body is ReadableStream<Uint8Array> {
  return typeof (body as { getReader?: unknown }).getReader === 'function'
}

/** A Node Readable over any artifact body, with backpressure. */
export function toNodeReadable(body: ArtifactBody): Readable {
  if (body instanceof Readable) return body
  if (isWebStream(body)) return Readable.fromWeb(body as unknown as NodeReadableStream<Uint8Array>)
  return Readable.from(body, { objectMode: false })
}

/** A pull-based web stream over an open file; the handle is closed at the end or on cancel. */
export function fileHandleStream(handle: FileHandle): ReadableStream<Uint8Array> {
  let closed = false
  const close = async (): Promise<void> => {
    if (closed) return
    closed = true
    await handle.close()
  }
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const chunk = new Uint8Array(READ_CHUNK)
        const { bytesRead } = await handle.read(chunk, 0, READ_CHUNK, null)
        if (bytesRead === 0) {
          await close()
          controller.close()
          return
        }
        controller.enqueue(chunk.subarray(0, bytesRead))
      } catch (error) {
        await close().catch(() => undefined)
        controller.error(error)
      }
    },
    cancel: close,
  })
}

/**
 * A pull-based web stream over a Node Readable: one chunk is read per pull, so a slow consumer
 * holds back the source (Node 20's `Readable.toWeb` may queue far ahead of the reader).
 */
export function nodeToWebStream(readable: Readable): ReadableStream<Uint8Array> {
  const chunks = readable[Symbol.asyncIterator]() as AsyncIterator<Uint8Array>
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const next = await chunks.next()
        if (next.done === true) controller.close()
        else controller.enqueue(next.value)
      },
      async cancel() {
        await chunks.return?.()
        readable.destroy()
      },
    },
    { highWaterMark: 0 },
  )
}
