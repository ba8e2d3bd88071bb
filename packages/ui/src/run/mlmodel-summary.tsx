import { useMemo } from 'react'
import { parse } from 'yaml'

interface ColumnSpec {
  name?: string
  type?: string
  required?: boolean
  'tensor-spec'?: { dtype?: string; shape?: number[] }
}

interface MlmodelFile {
  artifact_path?: string
  flavors?: Record<string, Record<string, unknown> | null>
  mlflow_version?: string
  model_uuid?: string
  model_id?: string
  run_id?: string
  utc_time_created?: string
  model_size_bytes?: number
  signature?: { inputs?: string; outputs?: string; params?: string | null }
}

/** A signature part is a JSON string inside the YAML (MLflow's format); a broken one yields undefined. */
function parseSpec(value: string | null | undefined): ColumnSpec[] | undefined {
  if (!value) return undefined
  try {
    const parsed: unknown = JSON.parse(value)
    return Array.isArray(parsed) ? (parsed as ColumnSpec[]) : undefined
  } catch {
    return undefined
  }
}

function specType(c: ColumnSpec): string {
  if (c['tensor-spec'])
    return `tensor ${c['tensor-spec'].dtype ?? ''} [${(c['tensor-spec'].shape ?? []).join(', ')}]`
  return c.type ?? ''
}

function SpecTable({ title, spec }: { title: string; spec: ColumnSpec[] | undefined }) {
  return (
    <div className="mlmodel-spec">
      <h4>{title}</h4>
      {!spec ? (
        <p className="muted">none</p>
      ) : (
        <table className="grid">
          <thead>
            <tr>
              <th>Name</th>
              <th>Type</th>
              <th>Required</th>
            </tr>
          </thead>
          <tbody>
            {spec.map((c, i) => (
              <tr key={i}>
                <td className="mono">{c.name ?? `#${i}`}</td>
                <td className="mono">{specType(c)}</td>
                <td>{c.required === false ? 'no' : 'yes'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  )
}

/** Summary of an MLmodel file: flavors, signature, Python and MLflow versions. */
export function MlmodelSummary({ text }: { text: string }) {
  const model = useMemo((): MlmodelFile | Error => {
    try {
      const parsed: unknown = parse(text)
      if (!parsed || typeof parsed !== 'object') return new Error('MLmodel is not a YAML mapping')
      return parsed as MlmodelFile
    } catch (err) {
      return err instanceof Error ? err : new Error(String(err))
    }
  }, [text])
  if (model instanceof Error) {
    return (
      <div>
        <p className="error">Could not parse MLmodel: {model.message}</p>
        <pre className="preview-text">{text}</pre>
      </div>
    )
  }
  const flavors = Object.entries(model.flavors ?? {})
  const pyfunc = model.flavors?.python_function ?? undefined
  const python = typeof pyfunc?.python_version === 'string' ? pyfunc.python_version : undefined
  return (
    <div className="mlmodel-summary" data-testid="mlmodel-summary">
      <dl className="details">
        <dt>MLflow version</dt>
        <dd>{model.mlflow_version ?? '—'}</dd>
        <dt>Python version</dt>
        <dd>{python ?? '—'}</dd>
        <dt>Created</dt>
        <dd>{model.utc_time_created ?? '—'}</dd>
        {model.model_id && (
          <>
            <dt>Model ID</dt>
            <dd className="mono">{model.model_id}</dd>
          </>
        )}
        {model.model_size_bytes !== undefined && (
          <>
            <dt>Size</dt>
            <dd>{model.model_size_bytes} bytes</dd>
          </>
        )}
      </dl>
      <h4>Flavors</h4>
      <ul className="flavors">
        {flavors.map(([name, conf]) => {
          const version = Object.entries(conf ?? {}).find(
            ([k]) => k.endsWith('_version') && k !== 'python_version',
          )
          const loader = conf?.loader_module
          return (
            <li key={name}>
              <strong className="mono">{name}</strong>
              {version && (
                <span className="muted">
                  {' '}
                  {version[0]}: {String(version[1])}
                </span>
              )}
              {typeof loader === 'string' && <span className="muted"> loader: {loader}</span>}
            </li>
          )
        })}
      </ul>
      <div className="two-col">
        <SpecTable title="Signature inputs" spec={parseSpec(model.signature?.inputs)} />
        <SpecTable title="Signature outputs" spec={parseSpec(model.signature?.outputs)} />
      </div>
    </div>
  )
}
