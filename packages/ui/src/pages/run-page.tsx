export function RunPage({ runId }: { runId: string }) {
  return <main className="page"><h1>Run {runId}</h1><p>Not built yet.</p></main>
}
