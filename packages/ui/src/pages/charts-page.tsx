export function ChartsPage() {
  return <main className="page"><h1>ChartsPage</h1><p>Not built yet.</p></main>
}
