/* global window, document, location, URLSearchParams, fetch */
// A /charts?runs=...&metrics=... address: ask for the first chart's series while the app's bundle
// loads (a file, not inline: CSP). The chart takes this answer if it asked for the same runs and
// metric on the same axis (steps, or timestamps for wall and relative time) with about as many
// buckets (src/charts/series.ts, takePreload); else the answer is dropped. Bucket count as
// MetricChart computes it: the chart's width in pixels, from the grid's CSS (page padding 20 px,
// columns of at least 520 px with 14 px gaps, figure padding and border 22 px).
;(function () {
  if (location.pathname !== '/charts') return
  var query = new URLSearchParams(location.search)
  var list = function (name) {
    return (query.get(name) || '').split(',').map(function (s) { return s.trim() }).filter(Boolean)
  }
  var runs = list('runs')
  var metrics = list('metrics')
  var x = query.get('x') || 'step'
  // Wall time and time since start ask for the same timestamp buckets (src/charts/series.ts).
  var axis = x === 'step' ? 'step' : x === 'time' || x === 'relative' ? 'timestamp' : undefined
  if (runs.length === 0 || runs.length > 100 || metrics.length === 0 || !axis) return
  var grid = document.documentElement.clientWidth - 40
  var columns = Math.max(1, Math.min(metrics.length, Math.floor((grid + 14) / 534)))
  var width = Math.floor((grid - (columns - 1) * 14) / columns - 22)
  var buckets = Math.max(100, Math.min(2000, width))
  var body = { run_ids: runs, metric_key: metrics[0], x_axis: axis, buckets: buckets }
  window.__logbookPreload = {
    body: body,
    response: fetch('/ajax-api/2.0/logbook/metrics/sampled', {
      method: 'POST',
      // The binary answer (packages/core/src/sampled-binary.ts), as src/charts/series.ts asks.
      headers: { 'Content-Type': 'application/json', Accept: 'application/vnd.logbook.sampled' },
      body: JSON.stringify(body),
    }).then(
      function (r) {
        var type = (r.headers.get('content-type') || '').split(';')[0].trim()
        return r.ok && type === 'application/vnd.logbook.sampled' ? r.arrayBuffer() : null
      },
      function () { return null },
    ),
  }
})()
