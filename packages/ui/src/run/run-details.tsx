import { mlflow, useLoad } from '../api.ts'
import { formatTime, runDuration } from '../components/format.ts'
import { Link } from '../router.tsx'
import { runLabel, tagValue, type WireRun } from './types.ts'

/** Run attributes, source, git commit, parent and child runs. */
export function RunDetails({ run }: { run: WireRun }) {
  const { info } = run
  const parentId = tagValue(run, 'mlflow.parentRunId')
  const source = tagValue(run, 'mlflow.source.name')
  const commit = tagValue(run, 'mlflow.source.git.commit')
  const user = info.user_id || tagValue(run, 'mlflow.user')
  return (
    <dl className="details">
      <dt>Run ID</dt>
      <dd className="mono">{info.run_id}</dd>
      <dt>Status</dt>
      <dd>
        <span className={`badge ${info.status}`}>{info.status}</span>
      </dd>
      <dt>Started</dt>
      <dd>{formatTime(info.start_time)}</dd>
      <dt>Duration</dt>
      <dd>{runDuration(info.start_time, info.end_time) || '—'}</dd>
      <dt>User</dt>
      <dd>{user || '—'}</dd>
      <dt>Source</dt>
      <dd className="mono wrap">{source || '—'}</dd>
      <dt>Git commit</dt>
      <dd className="mono" title={commit}>
        {commit ? commit.slice(0, 12) : '—'}
      </dd>
      <dt>Artifact URI</dt>
      <dd className="mono wrap">{info.artifact_uri || '—'}</dd>
      <dt>Parent run</dt>
      <dd>{parentId ? <ParentLink runId={parentId} /> : '—'}</dd>
      <dt>Child runs</dt>
      <dd>
        <ChildRuns run={run} />
      </dd>
    </dl>
  )
}

function ParentLink({ runId }: { runId: string }) {
  const parent = useLoad(
    (signal) => mlflow.get<{ run: WireRun }>('runs/get', { run_id: runId }, { signal }),
    [runId],
  )
  const name = parent.data ? runLabel(parent.data.run.info) : runId.slice(0, 8)
  return (
    <Link to={`/runs/${runId}`} className="parent-link">
      {name}
    </Link>
  )
}

/** Children are the runs whose mlflow.parentRunId tag names this run (MLflow's convention). */
function ChildRuns({ run }: { run: WireRun }) {
  const id = run.info.run_id
  const children = useLoad(
    (signal) =>
      mlflow.post<{ runs?: WireRun[]; next_page_token?: string }>(
        'runs/search',
        {
          experiment_ids: [run.info.experiment_id],
          filter: `tags.mlflow.parentRunId = '${id}'`,
          max_results: 100,
          order_by: ['attributes.start_time ASC'],
        },
        { signal },
      ),
    [id, run.info.experiment_id],
  )
  if (children.error) return <span className="error">{children.error.message}</span>
  if (!children.data) return <span className="muted">…</span>
  const runs = children.data.runs ?? []
  if (runs.length === 0) return <>—</>
  return (
    <ul className="child-runs">
      {runs.map((child) => (
        <li key={child.info.run_id}>
          <Link to={`/runs/${child.info.run_id}`}>{runLabel(child.info)}</Link>{' '}
          <span className={`badge ${child.info.status}`}>{child.info.status}</span>
        </li>
      ))}
      {children.data.next_page_token && <li className="muted">more than 100 children…</li>}
    </ul>
  )
}
