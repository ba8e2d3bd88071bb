import type { KeyValue, Run } from '@logbook/core'
import { formatDuration, formatTimestamp } from '../output/human.ts'
import { toText } from '../output/writers.ts'

const indent = (text: string) => text.replace(/^(?=.)/gm, '  ')

function section(title: string, headers: string[], rows: string[][]): string {
  if (rows.length === 0) return `${title}: none\n`
  return `${title} (${rows.length}):\n${indent(toText({ headers, rows }))}`
}

const sorted = (list: KeyValue[]) => [...list].sort((a, b) => a.key.localeCompare(b.key))

/** A run as readable text: info, then params, latest metrics, tags and dataset inputs. */
export function describeRun(run: Run): string {
  const i = run.info
  const info: [string, string][] = [
    ['run_id', i.run_id],
    ['name', i.run_name],
    ['experiment_id', i.experiment_id],
    ['status', i.status],
    ['lifecycle_stage', i.lifecycle_stage],
    ['user', i.user_id || '-'],
    ['start', formatTimestamp(i.start_time)],
    ['end', formatTimestamp(i.end_time)],
    ['duration', i.end_time ? formatDuration(i.end_time - i.start_time) : '-'],
    ['artifact_uri', i.artifact_uri],
  ]
  const width = Math.max(...info.map(([k]) => k.length)) + 2
  const parts = [
    `${info.map(([k, v]) => `${`${k}:`.padEnd(width)}${v}`).join('\n')}\n`,
    section('Params', ['key', 'value'], sorted(run.data.params).map((p) => [p.key, p.value])),
    section(
      'Metrics (latest)',
      ['key', 'value', 'step', 'timestamp'],
      [...run.data.metrics].sort((a, b) => a.key.localeCompare(b.key)).map((m) => [m.key, String(m.value), String(m.step), formatTimestamp(m.timestamp)]),
    ),
    section('Tags', ['key', 'value'], sorted(run.data.tags).map((t) => [t.key, t.value.replace(/\s*\n\s*/g, ' ')])),
    section(
      'Inputs',
      ['dataset', 'digest', 'source_type', 'context'],
      (run.inputs.dataset_inputs ?? []).map((d) => [d.dataset.name, d.dataset.digest, d.dataset.source_type, d.tags.find((t) => t.key === 'mlflow.data.context')?.value ?? '']),
    ),
  ]
  return parts.join('\n')
}
