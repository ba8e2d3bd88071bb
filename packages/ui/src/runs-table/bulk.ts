import { mlflow } from '../api.ts'
import { cellText, type Column } from './columns.ts'
import type { TableRun } from './types.ts'
import { errorMessage } from '../components/format.ts'

/** Delete or restore runs, four requests at a time; resolves with the ids that failed and why. */
export async function bulkLifecycle(
  action: 'delete' | 'restore',
  runIds: readonly string[],
): Promise<{ runId: string; message: string }[]> {
  const failures: { runId: string; message: string }[] = []
  const queue = [...runIds]
  const worker = async (): Promise<void> => {
    for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
      try {
        await mlflow.post(`runs/${action}`, { run_id: id })
      } catch (err) {
        failures.push({ runId: id, message: errorMessage(err) })
      }
    }
  }
  await Promise.all([worker(), worker(), worker(), worker()])
  return failures
}

const CSV_BASE: Column[] = [
  { id: 'attributes.run_id', kind: 'attribute', key: 'run_id' },
  { id: 'attributes.run_name', kind: 'attribute', key: 'run_name' },
  { id: 'attributes.experiment_id', kind: 'attribute', key: 'experiment_id' },
  { id: 'attributes.status', kind: 'attribute', key: 'status' },
  { id: 'attributes.start_time', kind: 'attribute', key: 'start_time' },
  { id: 'attributes.duration', kind: 'attribute', key: 'duration' },
  { id: 'attributes.user_id', kind: 'attribute', key: 'user_id' },
]

function csvField(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

/**
 * CSV of runs: run id, name, experiment, status, start time (ISO), duration (ms), user, then the
 * chosen columns with full-precision values. Headers are the column ids (`metrics.loss`, `min(metrics.loss)`).
 */
export function runsToCsv(runs: readonly TableRun[], chosen: readonly Column[]): string {
  const columns = [...CSV_BASE, ...chosen]
  const header = columns.map((c) => csvField(c.kind === 'attribute' ? c.key : c.id)).join(',')
  const lines = runs.map((run) => columns.map((c) => csvField(cellText(run, c, true))).join(','))
  return [header, ...lines].join('\n') + '\n'
}

/** Offer `text` as a file download. */
export function downloadText(filename: string, text: string, type = 'text/csv'): void {
  const url = URL.createObjectURL(new Blob([text], { type }))
  const a = document.createElement('a')
  a.href = url
  a.download = filename
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}
