export function ComparePage() {
  return <main className="page"><h1>ComparePage</h1><p>Not built yet.</p></main>
}
