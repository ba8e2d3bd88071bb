import { KeyValueTable } from './key-value-table.tsx'
import { NoteEditor } from './note-editor.tsx'
import { RunDetails } from './run-details.tsx'
import { RunInputs } from './run-inputs.tsx'
import { RunMetricsTable } from './run-metrics-table.tsx'
import { TagsEditor } from './tags-editor.tsx'
import type { WireRun } from './types.ts'

/** The overview tab: details, note, params, metrics, tags, datasets and logged models. */
export function RunOverview({ run, reload }: { run: WireRun; reload: () => void }) {
  const editable = run.info.lifecycle_stage !== 'deleted'
  return (
    <div className="run-overview">
      <section aria-labelledby="run-details">
        <h2 id="run-details">Details</h2>
        <RunDetails run={run} />
      </section>
      <section aria-labelledby="run-note">
        <h2 id="run-note">Note</h2>
        <NoteEditor run={run} reload={reload} editable={editable} />
      </section>
      <div className="two-col">
        <section aria-labelledby="run-params">
          <h2 id="run-params">Parameters ({run.data.params?.length ?? 0})</h2>
          <KeyValueTable rows={run.data.params ?? []} label="parameters" />
        </section>
        <section aria-labelledby="run-metrics">
          <h2 id="run-metrics">Metrics ({run.data.metrics?.length ?? 0})</h2>
          <RunMetricsTable run={run} />
        </section>
      </div>
      <section aria-labelledby="run-tags">
        <h2 id="run-tags">Tags</h2>
        <TagsEditor run={run} reload={reload} editable={editable} />
      </section>
      <RunInputs run={run} />
    </div>
  )
}
