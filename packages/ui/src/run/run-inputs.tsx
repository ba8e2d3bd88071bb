import { mlflow, useLoad } from '../api.ts'
import { formatTime } from '../components/format.ts'
import type { WireLoggedModel, WireRun } from './types.ts'

/** Datasets the run read (run.inputs) and the models it logged (MLflow 3 logged models). */
export function RunInputs({ run }: { run: WireRun }) {
  const datasets = run.inputs?.dataset_inputs ?? []
  return (
    <>
      <section aria-labelledby="run-datasets">
        <h2 id="run-datasets">Datasets ({datasets.length})</h2>
        {datasets.length === 0 ? (
          <p className="muted">No dataset inputs.</p>
        ) : (
          <table className="grid">
            <thead>
              <tr>
                <th>Name</th>
                <th>Digest</th>
                <th>Context</th>
                <th>Source</th>
              </tr>
            </thead>
            <tbody>
              {datasets.map((d, i) => (
                <tr key={`${d.dataset.name}-${d.dataset.digest}-${i}`}>
                  <td>{d.dataset.name}</td>
                  <td className="mono">{d.dataset.digest}</td>
                  <td>{d.tags?.find((t) => t.key === 'mlflow.data.context')?.value ?? ''}</td>
                  <td className="mono wrap">
                    {d.dataset.source_type ? `${d.dataset.source_type}: ` : ''}
                    {d.dataset.source ?? ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section aria-labelledby="run-models">
        <h2 id="run-models">Logged models</h2>
        <LoggedModels run={run} />
      </section>
    </>
  )
}

/** Models whose source run is this one, plus any other model the run recorded as an output. */
function LoggedModels({ run }: { run: WireRun }) {
  const outputs = (run.outputs?.model_outputs ?? []).map((o) => o.model_id)
  const models = useLoad(
    async (signal) => {
      const res = await mlflow.post<{ models?: WireLoggedModel[] }>(
        'logged-models/search',
        {
          experiment_ids: [run.info.experiment_id],
          filter: `source_run_id = '${run.info.run_id}'`,
          max_results: 100,
        },
        { signal },
      )
      const found = res.models ?? []
      const missing = outputs.filter((id) => !found.some((m) => m.info.model_id === id))
      const extra = await Promise.all(
        missing.map((id) =>
          mlflow
            .get<{ model: WireLoggedModel }>(`logged-models/${encodeURIComponent(id)}`, undefined, {
              signal,
            })
            .then((r) => r.model),
        ),
      )
      return [...found, ...extra]
    },
    [run.info.run_id, outputs.join(',')],
  )
  if (models.error) return <p className="error">{models.error.message}</p>
  if (!models.data) return <p className="muted">Loading…</p>
  if (models.data.length === 0) return <p className="muted">No logged models.</p>
  return (
    <table className="grid logged-models">
      <thead>
        <tr>
          <th>Name</th>
          <th>Model ID</th>
          <th>Type</th>
          <th>Status</th>
          <th>Created</th>
        </tr>
      </thead>
      <tbody>
        {models.data.map((m) => (
          <tr key={m.info.model_id}>
            <td>{m.info.name}</td>
            <td className="mono">{m.info.model_id}</td>
            <td>{m.info.model_type ?? ''}</td>
            <td>{m.info.status?.replace('LOGGED_MODEL_', '') ?? ''}</td>
            <td>{formatTime(m.info.creation_timestamp_ms)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
