import { useState } from 'react'
import { mlflow, useLoad } from '../api.ts'
import { ConfirmDialog, PromptDialog } from '../components/dialog.tsx'
import { useTitle } from '../components/use-title.ts'
import { Link, setQuery, useLocation } from '../router.tsx'
import { ArtifactBrowser } from '../run/artifact-browser.tsx'
import { RunMetricsTab } from '../run/run-metrics-tab.tsx'
import { RunOverview } from '../run/run-overview.tsx'
import { runLabel, type WireRun } from '../run/types.ts'
import '../run/run.css'

const TABS = ['overview', 'metrics', 'artifacts'] as const
type Tab = (typeof TABS)[number]

/** One run: overview (details, params, metrics, tags, note, inputs, models), metric charts, artifacts. */
export function RunPage({ runId }: { runId: string }) {
  const { query } = useLocation()
  const tab: Tab = (TABS as readonly string[]).includes(query.get('tab') ?? '')
    ? (query.get('tab') as Tab)
    : 'overview'
  const loaded = useLoad(
    (signal) => mlflow.get<{ run: WireRun }>('runs/get', { run_id: runId }, { signal }),
    [runId],
  )
  const [dialog, setDialog] = useState<'rename' | 'delete' | undefined>()
  const run = loaded.data?.run
  useTitle(run ? `${runLabel(run.info)} · Run` : loaded.error ? 'Run not found' : `Run ${runId.slice(0, 8)}`)
  if (!run) {
    return (
      <main className="page">
        <h1>Run {runId}</h1>
        {loaded.error ? (
          <>
            <p className="error" role="alert">
              {loaded.error.message}
            </p>
            <p>
              <Link to="/experiments">Back to experiments</Link>
            </p>
          </>
        ) : (
          <p className="muted">Loading…</p>
        )}
      </main>
    )
  }
  const deleted = run.info.lifecycle_stage === 'deleted'
  const restore = async (): Promise<void> => {
    await mlflow.post('runs/restore', { run_id: runId })
    loaded.reload()
  }
  return (
    <main className="page run-page">
      <div className="crumbs muted">
        <ExperimentLink id={run.info.experiment_id} /> / run
      </div>
      <div className="run-title">
        <h1>{runLabel(run.info)}</h1>
        <span className={`badge ${run.info.status}`}>{run.info.status}</span>
        {deleted && <span className="badge deleted">deleted</span>}
        <span className="spacer" />
        <button type="button" onClick={() => setDialog('rename')} disabled={deleted}>
          Rename
        </button>
        <Link className="button" to={`/charts?runs=${runId}`}>
          Open in charts
        </Link>
        {deleted ? (
          <button type="button" onClick={() => void restore()}>
            Restore
          </button>
        ) : (
          <button type="button" className="danger" onClick={() => setDialog('delete')}>
            Delete
          </button>
        )}
      </div>
      {loaded.error && (
        <p className="error" role="alert">
          {loaded.error.message}
        </p>
      )}
      <div className="tabs" role="tablist">
        {TABS.map((t) => (
          <button
            key={t}
            type="button"
            role="tab"
            aria-selected={tab === t}
            onClick={() =>
              setQuery(
                { tab: t === 'overview' ? undefined : t, path: undefined },
                { replace: false },
              )
            }
          >
            {t[0]!.toUpperCase() + t.slice(1)}
          </button>
        ))}
      </div>
      {tab === 'overview' && <RunOverview run={run} reload={loaded.reload} />}
      {tab === 'metrics' && <RunMetricsTab run={run} />}
      {tab === 'artifacts' && <ArtifactBrowser runId={runId} selected={query.get('path') ?? ''} />}
      {dialog === 'rename' && (
        <PromptDialog
          title="Rename run"
          label="Name"
          initial={run.info.run_name ?? ''}
          onSubmit={async (name) => {
            await mlflow.post('runs/update', { run_id: runId, run_name: name.trim() })
            loaded.reload()
          }}
          onClose={() => setDialog(undefined)}
        />
      )}
      {dialog === 'delete' && (
        <ConfirmDialog
          title="Delete run"
          message={
            <>Delete run “{runLabel(run.info)}”? It can be restored until garbage collection.</>
          }
          confirmLabel="Delete"
          danger
          onConfirm={async () => {
            await mlflow.post('runs/delete', { run_id: runId })
            loaded.reload()
          }}
          onClose={() => setDialog(undefined)}
        />
      )}
    </main>
  )
}

function ExperimentLink({ id }: { id: string }) {
  const experiment = useLoad(
    (signal) =>
      mlflow.get<{ experiment: { name: string } }>(
        'experiments/get',
        { experiment_id: id },
        { signal },
      ),
    [id],
  )
  return (
    <Link to={`/experiments/${id}`}>{experiment.data?.experiment.name ?? `Experiment ${id}`}</Link>
  )
}
