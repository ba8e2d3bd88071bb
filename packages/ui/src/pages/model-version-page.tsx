export function ModelVersionPage({ name, version }: { name: string; version: string }) {
  return <main className="page"><h1>{name} v{version}</h1><p>Not built yet.</p></main>
}
