import type { Run } from '@logbook/core'
import type { LogbookClient } from '@logbook/sdk'
import { UsageError, runGroup } from '../cli-runner.ts'
import type { Args } from '../cli-runner.ts'
import { RUNS } from '../command-table.ts'
import { formatDuration, formatTimestamp } from '../output/human.ts'
import { Progress } from '../output/progress.ts'
import { toCsv, toJson, toText, writeOut } from '../output/writers.ts'
import type { Table } from '../output/writers.ts'
import { clientFor } from '../tracking-client.ts'
import { viewType } from './experiments.ts'
import { describeRun } from './run-describe.ts'

/** Runs per search request (the server's default page). */
const PAGE_SIZE = 1000

/** An extra column: `params.lr`, `metrics.loss` or `tags.stage`. */
interface Column {
  name: string
  kind: 'params' | 'metrics' | 'tags'
  key: string
}

function parseColumns(args: Args): Column[] {
  return args.list('columns', true).map((name) => {
    const match = /^(params|metrics|tags)\.(.+)$/.exec(name)
    if (!match) throw new UsageError(`Invalid column '${name}': use params.<key>, metrics.<key> or tags.<key>`)
    return { name, kind: match[1] as Column['kind'], key: match[2] as string }
  })
}

function cell(run: Run, column: Column): string {
  if (column.kind === 'metrics') {
    const metric = run.data.metrics.find((m) => m.key === column.key)
    return metric === undefined ? '' : String(metric.value)
  }
  return run.data[column.kind].find((kv) => kv.key === column.key)?.value ?? ''
}

/** The experiment ids named by --experiment-id (repeatable, comma-separated) and --experiment-name. */
async function experimentIds(client: LogbookClient, args: Args): Promise<string[]> {
  const ids = args.list('experiment-id', true)
  for (const name of args.list('experiment-name')) ids.push((await client.getExperimentByName(name)).experiment_id)
  if (ids.length === 0) throw new UsageError("Missing required option '--experiment-id' or '--experiment-name'")
  return ids
}

/** Up to --max-results runs, page after page, with a progress bar when more than one page is asked for. */
async function fetchRuns(client: LogbookClient, args: Args): Promise<Run[]> {
  const max = args.int('max-results') ?? PAGE_SIZE
  const query = {
    experimentIds: await experimentIds(client, args),
    filter: args.string('filter'),
    orderBy: args.list('order-by'),
    viewType: viewType(args),
  }
  const progress = max > PAGE_SIZE ? new Progress('runs', { noun: 'runs' }) : undefined
  const runs: Run[] = []
  let pageToken: string | undefined
  do {
    const page = await client.searchRuns({ ...query, maxResults: Math.min(PAGE_SIZE, max - runs.length), pageToken })
    runs.push(...page.runs)
    progress?.advance(page.runs.length)
    pageToken = page.nextPageToken || undefined
  } while (pageToken && runs.length < max)
  progress?.finish()
  return runs
}

function runTable(runs: Run[], columns: Column[]): Table {
  return {
    headers: ['run_id', 'name', 'status', 'start', 'duration', ...columns.map((c) => c.name)],
    rows: runs.map(({ info, ...run }) => [
      info.run_id,
      info.run_name,
      info.status,
      formatTimestamp(info.start_time),
      info.end_time ? formatDuration(info.end_time - info.start_time) : '-',
      ...columns.map((c) => cell({ info, ...run }, c)),
    ]),
  }
}

function runCsv(runs: Run[], columns: Column[]): Table {
  return {
    headers: ['run_id', 'run_name', 'experiment_id', 'status', 'start_time', 'end_time', ...columns.map((c) => c.name)],
    rows: runs.map((run) => {
      const i = run.info
      return [i.run_id, i.run_name, i.experiment_id, i.status, String(i.start_time), i.end_time ? String(i.end_time) : '', ...columns.map((c) => cell(run, c))]
    }),
  }
}

async function list(args: Args): Promise<void> {
  const columns = parseColumns(args)
  const runs = await fetchRuns(clientFor(args), args)
  const output = args.string('output')
  if (output === 'json') await writeOut(toJson(runs))
  else if (output === 'csv') await writeOut(toCsv(runCsv(runs, columns)))
  else await writeOut(toText(runTable(runs, columns)))
}

async function describe(args: Args): Promise<void> {
  const run = await clientFor(args).getRun(args.required('run-id'))
  await writeOut(args.string('output') === 'json' ? toJson(run) : describeRun(run))
}

async function remove(args: Args): Promise<void> {
  const id = args.required('run-id')
  await clientFor(args).deleteRun(id)
  await writeOut(`Run ${id} deleted (restore it with 'logbook runs restore', purge it with 'logbook gc').\n`)
}

async function restore(args: Args): Promise<void> {
  const id = args.required('run-id')
  await clientFor(args).restoreRun(id)
  await writeOut(`Run ${id} restored.\n`)
}

/** `logbook runs list|search|describe|delete|restore`. */
export function runsCommand(argv: string[]): Promise<number> {
  return runGroup(RUNS, { list, search: list, describe, delete: remove, restore }, argv)
}
