import { parseDelimited } from './csv-parse.ts'

/** Rows shown by the CSV preview. */
export const CSV_ROWS = 1000

/** The first rows of a CSV/TSV file as a table (first row = header). */
export function CsvTable({
  text,
  delimiter,
  truncated,
}: {
  text: string
  delimiter: string
  truncated: boolean
}) {
  const rows = parseDelimited(text, delimiter, CSV_ROWS + 2)
  const [header = [], ...body] = rows
  const more = truncated || body.length > CSV_ROWS
  return (
    <div className="csv-preview">
      <p className="muted">
        {more ? `First ${Math.min(body.length, CSV_ROWS)} rows` : `${body.length} rows`} ×{' '}
        {header.length} columns
      </p>
      <div className="csv-scroll">
        <table className="grid csv-table">
          <thead>
            <tr>
              <th className="num muted">#</th>
              {header.map((h, i) => (
                <th key={i}>{h}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {body.slice(0, CSV_ROWS).map((r, i) => (
              <tr key={i}>
                <td className="num muted">{i + 1}</td>
                {r.map((cell, j) => (
                  <td key={j} className={/^-?[\d.]+(e[-+]?\d+)?$/i.test(cell) ? 'num' : undefined}>
                    {cell}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  )
}
