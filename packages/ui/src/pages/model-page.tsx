export function ModelPage({ name }: { name: string }) {
  return <main className="page"><h1>{name}</h1><p>Not built yet.</p></main>
}
