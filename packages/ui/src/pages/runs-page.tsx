export function RunsPage({ experimentIds }: { experimentIds: string[] }) {
  return <main className="page"><h1>Runs of {experimentIds.join(', ')}</h1><p>Not built yet.</p></main>
}
