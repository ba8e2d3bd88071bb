import { stat } from 'node:fs/promises'
import { basename, resolve } from 'node:path'
import type { Run } from '@logbook/core'
import { proxyArtifactRoot } from '@logbook/sdk'
import type { LogbookClient } from '@logbook/sdk'
import { UsageError, runGroup } from '../cli-runner.ts'
import type { Args } from '../cli-runner.ts'
import { ARTIFACTS } from '../command-table.ts'
import { formatBytes } from '../output/human.ts'
import { Progress } from '../output/progress.ts'
import { toCsv, toJson, toText, writeOut } from '../output/writers.ts'
import { clientFor } from '../tracking-client.ts'
import { downloadFile, forEachLimited, joinArtifactPath, uploadFile, walkLocal, walkRemote } from './artifact-transfer.ts'
import type { TransferFile } from './artifact-transfer.ts'

/** The run and the proxy path of its artifact root. */
async function runRoot(client: LogbookClient, args: Args): Promise<{ run: Run; root: string }> {
  const run = await client.getRun(args.required('run-id'))
  return { run, root: proxyArtifactRoot(run.info.artifact_uri) }
}

async function list(args: Args): Promise<void> {
  const client = clientFor(args)
  const { root } = await runRoot(client, args)
  const path = joinArtifactPath(args.string('artifact-path'))
  const files = (await client.listArtifacts(joinArtifactPath(root, path))).map((f) => ({
    path: joinArtifactPath(path, f.path.split('/').pop()),
    is_dir: f.is_dir,
    // The wire omits a zero size (proto3 default); a file without one is empty.
    file_size: f.is_dir ? undefined : Number(f.file_size ?? 0),
  }))
  const output = args.string('output')
  if (output === 'json') return writeOut(toJson(files))
  const size = (f: (typeof files)[number], human: boolean) => (f.is_dir || f.file_size === undefined ? '' : human ? formatBytes(f.file_size) : String(f.file_size))
  if (output === 'csv') {
    return writeOut(toCsv({ headers: ['path', 'is_dir', 'file_size'], rows: files.map((f) => [f.path, String(f.is_dir), size(f, false)]) }))
  }
  await writeOut(toText({ headers: ['path', 'type', 'size'], rows: files.map((f) => [f.path, f.is_dir ? 'dir' : 'file', size(f, true)]) }))
}

/** A folder (listing not empty, or the whole run) downloads recursively; anything else as one file. */
async function download(args: Args): Promise<void> {
  const client = clientFor(args)
  const { root } = await runRoot(client, args)
  const path = joinArtifactPath(args.string('artifact-path'))
  const dest = args.string('dest') ?? '.'
  const listing = await client.listArtifacts(joinArtifactPath(root, path))
  const files: TransferFile[] = path === '' || listing.length > 0 ? await walkRemote(client, root, path) : [{ path }]
  const known = files.every((f) => f.size !== undefined)
  const progress = new Progress('download', { unit: 'bytes', noun: 'files', total: known ? files.reduce((n, f) => n + (f.size ?? 0), 0) : undefined })
  await forEachLimited(files, (file) => downloadFile(client, root, file, dest, progress))
  progress.finish()
  await writeOut(`${resolve(dest, ...path.split('/').filter(Boolean))}\n`)
}

/** A file uploads into --artifact-path under its own name; a folder's contents upload into it. */
async function upload(args: Args): Promise<void> {
  const client = clientFor(args)
  const src = args.required('src')
  const info = await stat(src).catch(() => undefined)
  if (!info || !(info.isFile() || info.isDirectory())) throw new UsageError(`Invalid --src '${src}': no such file or folder`)
  const { run, root } = await runRoot(client, args)
  const into = joinArtifactPath(args.string('artifact-path'))
  const files = info.isDirectory() ? await walkLocal(src) : [{ local: src, path: basename(src), size: info.size }]
  const total = files.reduce((n, f) => n + (f.size ?? 0), 0)
  const progress = new Progress('upload', { unit: 'bytes', noun: 'files', total })
  await forEachLimited(files, (f) => uploadFile(client, joinArtifactPath(root, into, f.path), f.local, f.size ?? 0, progress))
  progress.finish()
  await writeOut(`Uploaded ${files.length} file(s), ${formatBytes(total)}, to runs:/${run.info.run_id}/${into}\n`)
}

/** `logbook artifacts list|download|upload`. */
export function artifactsCommand(argv: string[]): Promise<number> {
  return runGroup(ARTIFACTS, { list, download, upload }, argv)
}
