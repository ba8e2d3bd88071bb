import { lazy, Suspense, type ReactNode } from 'react'
import { Link, matchPath, navigate, useLocation } from './router.tsx'
import { useTheme } from './theme.ts'
import { ChartsPage } from './pages/charts-page.tsx'
import { ComparePage } from './pages/compare-page.tsx'
import { ExperimentsPage } from './pages/experiments-page.tsx'
import { ModelsPage } from './pages/models-page.tsx'
import { RunsPage } from './pages/runs-page.tsx'
import { LoginPage } from './pages/login-page.tsx'
import { TokensPage } from './pages/tokens-page.tsx'
import { UserMenu } from './auth/user-menu.tsx'
import { useTitle } from './components/use-title.ts'

// Pages that render markdown or YAML (marked, DOMPurify, yaml: ~30% of the bundle) load on first
// use, so the other pages compile less before their first request.
const RunPage = lazy(() => import('./pages/run-page.tsx').then((m) => ({ default: m.RunPage })))
const ModelPage = lazy(() => import('./pages/model-page.tsx').then((m) => ({ default: m.ModelPage })))
const ModelVersionPage = lazy(() =>
  import('./pages/model-version-page.tsx').then((m) => ({ default: m.ModelVersionPage })),
)

/**
 * Every view is a URL. Query parameters hold the rest of a view's state (filter, sort, columns,
 * selected runs, chart settings), so copying the address bar shares exactly what is on screen.
 */
const ROUTES: { pattern: string; render: (params: Record<string, string>) => ReactNode }[] = [
  { pattern: '/experiments', render: () => <ExperimentsPage /> },
  // One or several experiments: /experiments/1 or /experiments/1,4,7
  { pattern: '/experiments/:ids', render: (p) => <RunsPage experimentIds={p.ids!.split(',')} /> },
  { pattern: '/runs/:runId', render: (p) => <RunPage runId={p.runId!} /> },
  { pattern: '/charts', render: () => <ChartsPage /> },
  { pattern: '/compare', render: () => <ComparePage /> },
  { pattern: '/models', render: () => <ModelsPage /> },
  { pattern: '/models/:name', render: (p) => <ModelPage name={p.name!} /> },
  { pattern: '/models/:name/versions/:version', render: (p) => <ModelVersionPage name={p.name!} version={p.version!} /> },
  { pattern: '/login', render: () => <LoginPage /> },
  { pattern: '/tokens', render: () => <TokensPage /> },
]

/**
 * MLflow's client prints links in its UI's hash form ("View run at http://host/#/experiments/2/runs/
 * <id>"); open the same view here.
 */
function fromMlflowHash(hash: string): string | undefined {
  const run = /^#\/experiments\/[^/]+\/runs\/([0-9a-f]{32})/.exec(hash)
  if (run) return `/runs/${run[1]}`
  const experiment = /^#\/experiments\/(\d+)/.exec(hash)
  if (experiment) return `/experiments/${experiment[1]}`
  if (/^#\/models\/?$/.test(hash)) return '/models'
  return undefined
}

function Page() {
  const { path } = useLocation()
  if (path === '/' || path === '') {
    navigate(fromMlflowHash(window.location.hash) ?? '/experiments', { replace: true })
    return null
  }
  for (const route of ROUTES) {
    const params = matchPath(route.pattern, path)
    // One boundary per route: a page still loading replaces the previous page instead of hiding it.
    if (params) return <Suspense key={route.pattern} fallback={<main className="page" />}>{route.render(params)}</Suspense>
  }
  return <NotFound path={path} />
}

function NotFound({ path }: { path: string }) {
  useTitle('Not found')
  return (
    <main className="page">
      <h1>Not found</h1>
      <p>
        Nothing lives at <code>{path}</code>. <Link to="/experiments">Go to experiments</Link>.
      </p>
    </main>
  )
}

export function App() {
  const [theme, toggleTheme] = useTheme()
  const { path } = useLocation()
  const section = path.startsWith('/models') ? 'models' : 'experiments'
  return (
    <div className="app">
      <header className="topbar">
        <Link to="/experiments" className="brand">
          Logbook
        </Link>
        <nav aria-label="Main">
          <Link to="/experiments" className={section === 'experiments' ? 'active' : undefined}>
            Experiments
          </Link>
          <Link to="/models" className={section === 'models' ? 'active' : undefined}>
            Models
          </Link>
        </nav>
        <span className="spacer" />
        <UserMenu />
        <button type="button" className="ghost" onClick={toggleTheme} aria-label={`Switch to ${theme === 'dark' ? 'light' : 'dark'} theme`}>
          {theme === 'dark' ? '☀ Light' : '☾ Dark'}
        </button>
      </header>
      <Page />
    </div>
  )
}
