import type { Experiment, ViewType } from '@logbook/core'
import type { LogbookClient } from '@logbook/sdk'
import { runGroup } from '../cli-runner.ts'
import type { Args } from '../cli-runner.ts'
import { EXPERIMENTS } from '../command-table.ts'
import { formatTimestamp } from '../output/human.ts'
import { toCsv, toJson, toText, writeOut } from '../output/writers.ts'
import type { Table } from '../output/writers.ts'
import { clientFor } from '../tracking-client.ts'

/** `--view active|deleted|all` as MLflow's view type. */
export function viewType(args: Args): ViewType {
  const view = args.string('view')
  return view === 'deleted' ? 'DELETED_ONLY' : view === 'all' ? 'ALL' : 'ACTIVE_ONLY'
}

/** Every experiment matching the options, following page tokens. */
async function allExperiments(client: LogbookClient, args: Args): Promise<Experiment[]> {
  const all: Experiment[] = []
  let pageToken: string | undefined
  do {
    const page = await client.searchExperiments({
      filter: args.string('filter'),
      viewType: viewType(args),
      maxResults: 1000,
      pageToken,
    })
    all.push(...page.experiments)
    pageToken = page.nextPageToken || undefined
  } while (pageToken)
  return all
}

function experimentTable(experiments: Experiment[], human: boolean): Table {
  const time = (ms: number) => (human ? formatTimestamp(ms) : String(ms))
  return {
    headers: ['experiment_id', 'name', 'lifecycle_stage', 'artifact_location', 'creation_time'],
    rows: experiments.map((e) => [e.experiment_id, e.name, e.lifecycle_stage, e.artifact_location, time(e.creation_time)]),
  }
}

async function list(args: Args): Promise<void> {
  const experiments = await allExperiments(clientFor(args), args)
  const output = args.string('output')
  if (output === 'json') await writeOut(toJson(experiments))
  else if (output === 'csv') await writeOut(toCsv(experimentTable(experiments, false)))
  else await writeOut(toText(experimentTable(experiments, true)))
}

async function create(args: Args): Promise<void> {
  const id = await clientFor(args).createExperiment(args.required('experiment-name'), {
    artifactLocation: args.string('artifact-location'),
  })
  await writeOut(`${id}\n`)
}

async function rename(args: Args): Promise<void> {
  const id = args.required('experiment-id')
  await clientFor(args).updateExperiment(id, args.required('new-name'))
  await writeOut(`Experiment ${id} renamed to '${args.required('new-name')}'.\n`)
}

async function remove(args: Args): Promise<void> {
  const id = args.required('experiment-id')
  await clientFor(args).deleteExperiment(id)
  await writeOut(`Experiment ${id} deleted (restore it with 'logbook experiments restore', purge it with 'logbook gc').\n`)
}

async function restore(args: Args): Promise<void> {
  const id = args.required('experiment-id')
  await clientFor(args).restoreExperiment(id)
  await writeOut(`Experiment ${id} restored.\n`)
}

/** `logbook experiments list|create|rename|delete|restore`. */
export function experimentsCommand(argv: string[]): Promise<number> {
  return runGroup(EXPERIMENTS, { list, create, rename, delete: remove, restore }, argv)
}
