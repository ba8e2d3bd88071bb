/** The text report printed at the end of a run. */
import type { RssResult } from './phases/rss.ts'
import type { Row, ServerResult, Target } from './report.ts'

function table(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows].map((r) => r.map((c) => String(c)))
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)))
  const line = (r: string[]) =>
    r
      .map((c, i) =>
        i === 0 || c === '' || Number.isNaN(Number(c))
          ? c.padEnd(widths[i]!)
          : c.padStart(widths[i]!),
      )
      .join('  ')
  return [
    line(cells[0]!),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...cells.slice(1).map(line),
  ].join('\n')
}

export function formatReport(
  rows: Row[],
  targets: Target[],
  lb: ServerResult,
  ml: ServerResult | undefined,
  rss: RssResult,
): string {
  const out: string[] = []
  out.push(
    table(
      ['figure', 'Logbook', 'MLflow', 'ratio', 'ratio is'],
      rows.map((r) => [r.figure, r.logbook, r.mlflow, r.ratio, r.ratioKind]),
    ),
  )
  out.push(
    'Ratios > 1 mean Logbook is better: throughputs are Logbook/MLflow, latencies MLflow/Logbook.',
  )
  const cpu = (name: string, r: ServerResult) =>
    Object.entries(r.cpu)
      .map(
        ([phase, c]) =>
          `  ${name} ${phase}: client ${c.clientPct}%, server ${c.serverPct}%, ${c.dbPct > 0 ? `PostgreSQL ${c.dbPct}%, ` : ''}other processes ${c.otherPct}%${c.otherPct > 10 ? '  <-- machine not quiet' : ''}`,
      )
      .join('\n')
  out.push(
    `\nCPU in % of one core (2 cores = 200%), per phase:\n${cpu('Logbook', lb)}${ml ? `\n${cpu('MLflow', ml)}` : ''}`,
  )
  const rc = rss.ingest.cpu
  out.push(
    `  Logbook rss-ingest: client ${rc.clientPct}%, server ${rc.serverPct}%, ${rc.dbPct > 0 ? `PostgreSQL ${rc.dbPct}%, ` : ''}other processes ${rc.otherPct}%${rc.otherPct > 10 ? '  <-- machine not quiet' : ''}`,
  )
  const verify = (name: string, r: ServerResult) =>
    `  ${name}: search results ${r.search.checkpoints.flatMap((c) => c.queries.map((q) => `@${c.runs} ${q.verified ? 'match' : `MISMATCH (${q.runsReturned}/${q.expectedRuns})`}`)).join(', ')}; history reads ${r.history.reads.map((x) => (x.verified ? `ok (${x.points} points, ${x.pages} pages)` : `FAILED: ${x.problem}`)).join(', ')}`
  out.push(
    `\nCorrectness checks:\n${verify('Logbook', lb)}${ml ? `\n${verify('MLflow', ml)}` : ''}`,
  )
  const errs = (name: string, r: ServerResult) => [
    ...r.ingest.errorSamples.map((e) => `${name} ingest: ${e}`),
    ...r.logMetric.errorSamples.map((e) => `${name} log-metric: ${e}`),
    ...r.search.populateErrorSamples.map((e) => `${name} search populate: ${e}`),
    ...r.history.loadErrorSamples.map((e) => `${name} history load: ${e}`),
  ]
  const errors = [
    ...errs('Logbook', lb),
    ...(ml ? errs('MLflow', ml) : []),
    ...rss.ingest.errorSamples.map((e) => `Logbook rss ingest: ${e}`),
  ]
  if (errors.length > 0) out.push(`\nError samples:\n  ${errors.join('\n  ')}`)
  const deaths = [
    ['Logbook', lb.serverDied],
    ['MLflow', ml?.serverDied],
    ['Logbook (RSS phase)', rss.serverDied],
  ].filter(([, d]) => d !== undefined)
  for (const [name, d] of deaths) out.push(`\nSERVER DIED: ${name} ${d}`)
  out.push(
    `\nLogbook RSS while ingesting ${rss.ingest.points} points (${rss.ingest.pointsPerSec} points/s, ${rss.ingest.seconds} s, ${rss.ingest.errors} errors):` +
      `\n  idle ${rss.idleRssMb} MB, peak sampled VmRSS ${rss.peakSampledRssMb} MB, VmHWM ${rss.vmHwmMb} MB, final ${rss.finalRssMb} MB` +
      `\n  VmRSS at each 10%: ${rss.rssCurveMb.join(', ')} MB; tsx wrapper processes add ${rss.wrapperRssMb} MB`,
  )
  out.push(
    `\nTargets:\n${table(
      ['target', 'measured', 'met'],
      targets.map((t) => [
        t.target,
        t.measured + (t.note ? ` [${t.note}]` : ''),
        t.met === 'n/a' ? 'n/a' : t.met ? 'YES' : 'NO',
      ]),
    )}`,
  )
  return out.join('\n')
}
