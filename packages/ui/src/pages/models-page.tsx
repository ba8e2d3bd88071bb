export function ModelsPage() {
  return <main className="page"><h1>ModelsPage</h1><p>Not built yet.</p></main>
}
