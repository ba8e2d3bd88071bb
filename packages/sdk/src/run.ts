/// <reference lib="esnext.disposable" />
import { LIMITS, TAG_DATASET_CONTEXT, validateKey } from '@logbook/core'
import type { Dataset, KeyValue, RunInfo, RunStatus } from '@logbook/core'
import type { LogbookClient } from './client.ts'
import { MetricQueue } from './metric-queue.ts'
import type { MetricQueueOptions } from './metric-queue.ts'

/** Queue tuning and the failure callback of a run's background metric logging. */
export type RunQueueOptions = Omit<MetricQueueOptions, 'send'>

/** Options of one metric point: step (default 0) and timestamp in ms (default now). */
export interface MetricOptions {
  step?: number
  timestamp?: number
}

/** Param and tag values are stored as strings; other values go through `String()`. */
export type Scalar = string | number | boolean

/** A local file or folder to upload (Node entry only). */
export interface LocalPath {
  localPath: string
}

/** What `logArtifact` accepts: bytes, a Blob/File, a UTF-8 string or a local file or folder. */
export type ArtifactSource = Blob | Uint8Array | string | LocalPath

/** One file of a local upload: its path relative to what was named, and its contents. */
export interface LocalFile {
  path: string
  data: Blob | Uint8Array
}

/** Lists and opens local files; installed by the Node entry so the browser entry stays fetch-only. */
export type LocalFileReader = (localPath: string) => AsyncIterable<LocalFile>

let localFileReader: LocalFileReader | undefined

/** Install the reader behind `logArtifact({ localPath })` (called by `@logbook/sdk/node`). */
export function setLocalFileReader(reader: LocalFileReader): void {
  localFileReader = reader
}

function isLocalPath(source: ArtifactSource): source is LocalPath {
  return typeof (source as { localPath?: unknown }).localPath === 'string'
}

function toKeyValues(record: Record<string, Scalar>): KeyValue[] {
  return Object.entries(record).map(([key, value]) => ({ key, value: String(value) }))
}

/** The proxy path of a run's artifact root, from an `mlflow-artifacts:` URI. */
export function proxyArtifactRoot(artifactUri: string): string {
  const match = /^mlflow-artifacts:(?:\/\/[^/]*)?\/*(.*)$/.exec(artifactUri)
  if (!match) {
    throw new Error(
      `Artifact URI '${artifactUri}' is not served by the artifact proxy (mlflow-artifacts:)`,
    )
  }
  return (match[1] ?? '').replace(/\/+$/, '')
}

/**
 * A running run: params, tags and artifacts are sent at once (await them), metric points are
 * queued and sent in the background. `await using` ends it FINISHED on scope exit; disposal cannot
 * see an exception, so call `end({ status: 'FAILED' })` in a catch block to record a failure.
 */
export class Run implements AsyncDisposable {
  readonly id: string
  readonly experimentId: string
  private readonly queue: MetricQueue
  private ended = false
  private readonly validKeys = new Set<string>()
  private readonly endHooks: (() => void | Promise<void>)[] = []

  constructor(
    readonly client: LogbookClient,
    readonly info: RunInfo,
    queueOptions: RunQueueOptions = {},
  ) {
    this.id = info.run_id
    this.experimentId = info.experiment_id
    this.queue = new MetricQueue({
      ...queueOptions,
      // Reported, never swallowed: without a callback a failed batch is printed at once.
      onError:
        queueOptions.onError ??
        ((e: unknown) => console.error(`logbook: metrics of run ${this.id} were not stored:`, e)),
      send: (metrics) => client.logMetricBatch(this.id, metrics, { maxRetries: 0 }),
    })
  }

  /** True until `end()` has been called. */
  get active(): boolean {
    return !this.ended
  }

  /** Metric points accepted but not yet stored. */
  get pendingMetrics(): number {
    return this.queue.pending
  }

  /** Log one param; the server rejects a different value for a key already logged. */
  logParam(key: string, value: Scalar): Promise<void> {
    return this.logParams({ [key]: value })
  }

  /** Log several params, 100 per request (MLflow's limit). */
  async logParams(params: Record<string, Scalar>): Promise<void> {
    const list = toKeyValues(params)
    for (let i = 0; i < list.length; i += LIMITS.batchParams) {
      await this.client.logBatch(this.id, { params: list.slice(i, i + LIMITS.batchParams) })
    }
  }

  /** Queue one metric point; returns at once, never waits on the network (throws once ended). */
  logMetric(key: string, value: number, opts: MetricOptions = {}): void {
    if (this.ended) throw new Error(`Run ${this.id} has ended; metric '${key}' was not logged`)
    if (typeof value !== 'number') throw new TypeError(`Metric '${key}': value must be a number`)
    // Checked here, once per key, so a bad key throws at the caller instead of failing a batch
    // (and the good points in it) later on the server.
    if (!this.validKeys.has(key)) {
      validateKey(key, 'Metric')
      this.validKeys.add(key)
    }
    if (opts.step !== undefined && !Number.isSafeInteger(opts.step)) {
      throw new TypeError(`Metric '${key}': step must be an integer, got ${opts.step}`)
    }
    if (opts.timestamp !== undefined && !Number.isSafeInteger(opts.timestamp)) {
      throw new TypeError(`Metric '${key}': timestamp must be integer milliseconds`)
    }
    this.queue.add(key, value, opts.step ?? 0, opts.timestamp ?? Date.now())
  }

  /** Queue several metrics sharing one step and timestamp. */
  logMetrics(metrics: Record<string, number>, opts: MetricOptions = {}): void {
    const timestamp = opts.timestamp ?? Date.now()
    for (const [key, value] of Object.entries(metrics))
      this.logMetric(key, value, { ...opts, timestamp })
  }

  /** Set one tag. */
  setTag(key: string, value: Scalar): Promise<void> {
    return this.setTags({ [key]: value })
  }

  /** Set several tags, 100 per request (MLflow's limit). */
  async setTags(tags: Record<string, Scalar>): Promise<void> {
    const list = toKeyValues(tags)
    for (let i = 0; i < list.length; i += LIMITS.batchTags) {
      await this.client.logBatch(this.id, { tags: list.slice(i, i + LIMITS.batchTags) })
    }
  }

  /**
   * Upload an artifact. Bytes, a Blob or a UTF-8 string are stored at the artifact file `path`
   * (a `File`'s own name when `path` is omitted). `{ localPath }` uploads a local file or a whole
   * folder like MLflow's `log_artifact(s)`: a file lands at `<path>/<file name>`, a folder's
   * contents under `<path>` (the run's root by default); it needs the Node entry
   * (`@logbook/sdk/node`), which reads files as streams.
   */
  async logArtifact(source: ArtifactSource, path?: string): Promise<void> {
    if (isLocalPath(source)) {
      const reader = localFileReader
      if (!reader)
        throw new Error('logArtifact({ localPath }) needs the Node entry @logbook/sdk/node')
      const dir = (path ?? '').replace(/^\/+|\/+$/g, '')
      for await (const file of reader(source.localPath)) {
        await this.upload(file.data, dir === '' ? file.path : `${dir}/${file.path}`)
      }
      return
    }
    const name = path ?? (source as { name?: unknown }).name
    if (typeof name !== 'string' || name === '') {
      throw new Error(
        'logArtifact(data, path): the artifact path is required for bytes and strings',
      )
    }
    await this.upload(source, name)
  }

  private async upload(data: Blob | Uint8Array | string, path: string): Promise<void> {
    const root = proxyArtifactRoot(this.info.artifact_uri)
    const clean = path.replace(/^\/+/, '')
    await this.client.uploadArtifact(root === '' ? clean : `${root}/${clean}`, data)
  }

  /** Save a string as a text artifact. */
  logText(text: string, path: string): Promise<void> {
    return this.logArtifact(text, path)
  }

  /** Save a value as a pretty-printed JSON artifact. */
  logJson(value: unknown, path: string): Promise<void> {
    return this.logArtifact(JSON.stringify(value, null, 2), path)
  }

  /** Record a dataset as an input of this run, optionally with its context (e.g. "training"). */
  async logInput(
    dataset: Dataset,
    opts: { context?: string; tags?: Record<string, string> } = {},
  ): Promise<void> {
    const tags = toKeyValues(opts.tags ?? {})
    if (opts.context !== undefined) tags.push({ key: TAG_DATASET_CONTEXT, value: opts.context })
    await this.client.logInputs(this.id, [{ dataset, tags }])
  }

  /** Call `hook` when the run ends, before its queued metrics are flushed (e.g. stop a sampler). */
  onEnd(hook: () => void | Promise<void>): void {
    this.endHooks.push(hook)
  }

  /** Wait until every queued metric is stored; rejects with permanent failures since the last flush. */
  flush(): Promise<void> {
    return this.queue.flush()
  }

  /** Flush metrics and mark the run ended (FINISHED by default); rejects if metrics were lost. */
  async end(
    opts: { status?: Extract<RunStatus, 'FINISHED' | 'FAILED' | 'KILLED'> } = {},
  ): Promise<void> {
    if (this.ended) return
    this.ended = true
    for (const hook of this.endHooks.splice(0)) await hook()
    const errors: unknown[] = []
    await this.queue.close().catch((e: unknown) => errors.push(e))
    await this.client
      .updateRun(this.id, { status: opts.status ?? 'FINISHED', endTime: Date.now() })
      .catch((e: unknown) => errors.push(e))
    if (errors.length === 1) throw errors[0]
    if (errors.length > 1)
      throw new AggregateError(errors, `Run ${this.id}: ${errors.length} errors`)
  }

  /** Ends the run FINISHED unless it was already ended (`await using run = await startRun()`). */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.end()
  }
}
