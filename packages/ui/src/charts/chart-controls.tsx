import type { ChartSettings } from './metric-chart.tsx'
import type { XMode } from './series.ts'

/** Settings from the URL: ?x=step|time|relative|metric:<key>&smooth=0..0.99&log=1. */
export function settingsFromQuery(query: URLSearchParams): ChartSettings {
  const x = query.get('x') ?? 'step'
  const xMode: XMode =
    x === 'time' || x === 'relative' || x.startsWith('metric:') ? (x as XMode) : 'step'
  const smoothing = Math.min(0.99, Math.max(0, Number(query.get('smooth') ?? 0) || 0))
  return { xMode, smoothing, logY: query.get('log') === '1' }
}

/** The same settings as URL query changes (defaults are removed from the URL). */
export function settingsToQuery(s: ChartSettings): Record<string, string | undefined> {
  return {
    x: s.xMode === 'step' ? undefined : s.xMode,
    smooth: s.smoothing > 0 ? String(s.smoothing) : undefined,
    log: s.logY ? '1' : undefined,
  }
}

/** x-axis, smoothing and log-scale controls. */
export function ChartControls({
  settings,
  metricKeys,
  onChange,
}: {
  settings: ChartSettings
  metricKeys: string[]
  onChange: (s: ChartSettings) => void
}) {
  return (
    <div className="toolbar chart-controls">
      <label>
        X axis{' '}
        <select
          aria-label="X axis"
          value={settings.xMode}
          onChange={(e) => onChange({ ...settings, xMode: e.target.value as XMode })}
        >
          <option value="step">Step</option>
          <option value="time">Wall time</option>
          <option value="relative">Relative time</option>
          {metricKeys.slice(0, 500).map((k) => (
            <option key={k} value={`metric:${k}`}>
              Metric: {k}
            </option>
          ))}
        </select>
      </label>
      <label>
        Smoothing{' '}
        <input
          type="range"
          aria-label="Smoothing"
          min={0}
          max={0.99}
          step={0.01}
          value={settings.smoothing}
          onChange={(e) => onChange({ ...settings, smoothing: Number(e.target.value) })}
        />{' '}
        <span className="mono">{settings.smoothing.toFixed(2)}</span>
      </label>
      <label>
        <input
          type="checkbox"
          aria-label="Log scale"
          checked={settings.logY}
          onChange={(e) => onChange({ ...settings, logY: e.target.checked })}
        />{' '}
        Log scale
      </label>
    </div>
  )
}
