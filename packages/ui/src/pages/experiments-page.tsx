export function ExperimentsPage() {
  return <main className="page"><h1>ExperimentsPage</h1><p>Not built yet.</p></main>
}
