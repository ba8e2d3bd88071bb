/** Text artifacts of the demo: YAML, CSV, an HTML report, an SVG bar chart, MLflow's MLmodel. */

type Yamlable = string | number | boolean | null | Yamlable[] | { [key: string]: Yamlable }

function yamlScalar(v: string | number | boolean | null): string {
  if (v === null) return 'null'
  if (typeof v !== 'string') return String(v)
  // Quote anything YAML could read as another type or as structure.
  const plain =
    /^[A-Za-z_][\w .\-/:]*$/.test(v) &&
    !/^(true|false|null|yes|no|on|off)$/i.test(v) &&
    !/: |:$| $/.test(v)
  return plain ? v : `'${v.replaceAll("'", "''")}'`
}

/** A small YAML emitter for configs (block style, two-space indents, keys in insertion order). */
export function toYaml(value: Yamlable, indent = ''): string {
  if (Array.isArray(value)) {
    if (value.length === 0) return `${indent}[]\n`
    return value
      .map((item) =>
        typeof item === 'object' && item !== null
          ? `${indent}-\n${toYaml(item, `${indent}  `)}`
          : `${indent}- ${yamlScalar(item)}\n`,
      )
      .join('')
  }
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value)
      .map(([key, v]) => {
        const isEmpty =
          (Array.isArray(v) && v.length === 0) ||
          (typeof v === 'object' && v !== null && Object.keys(v).length === 0)
        if (typeof v === 'object' && v !== null && !isEmpty)
          return `${indent}${key}:\n${toYaml(v, `${indent}  `)}`
        return `${indent}${key}: ${isEmpty ? (Array.isArray(v) ? '[]' : '{}') : yamlScalar(v as string)}\n`
      })
      .join('')
  }
  return `${indent}${yamlScalar(value)}\n`
}

/** CSV with a header row; fields with commas, quotes or newlines are quoted. */
export function toCsv(header: string[], rows: (string | number)[][]): string {
  const field = (v: string | number) => {
    const s = String(v)
    return /[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s
  }
  return [header, ...rows].map((r) => r.map(field).join(',')).join('\n') + '\n'
}

const escapeHtml = (s: string) =>
  s
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')

/** A self-contained HTML report (inline CSS, no scripts) with a summary table per section. */
export function htmlReport(
  title: string,
  intro: string,
  sections: { heading: string; rows: [string, string | number][] }[],
): string {
  const body = sections
    .map(
      (s) =>
        `<h2>${escapeHtml(s.heading)}</h2>\n<table>\n${s.rows
          .map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(String(v))}</td></tr>`)
          .join('\n')}\n</table>`,
    )
    .join('\n')
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)}</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2rem; color: #222; }
table { border-collapse: collapse; margin-bottom: 1.5rem; }
th, td { border: 1px solid #ddd; padding: 4px 10px; text-align: left; }
th { background: #f5f5f5; font-weight: 600; }
</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<p>${escapeHtml(intro)}</p>
${body}
</body>
</html>
`
}

/** A horizontal bar chart as SVG, e.g. feature importances. */
export function barChartSvg(title: string, items: { label: string; value: number }[]): string {
  const max = Math.max(...items.map((i) => i.value), 1e-9)
  const rowH = 22
  const width = 560
  const height = 50 + items.length * rowH
  const bars = items
    .map((item, i) => {
      const y = 40 + i * rowH
      const w = Math.round((item.value / max) * 320)
      return (
        `  <text x="170" y="${y + 15}" text-anchor="end">${escapeHtml(item.label)}</text>\n` +
        `  <rect x="180" y="${y + 3}" width="${w}" height="${rowH - 6}" fill="#4c78a8"/>\n` +
        `  <text x="${186 + w}" y="${y + 15}">${item.value.toFixed(3)}</text>`
      )
    })
    .join('\n')
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">
  <rect width="100%" height="100%" fill="white"/>
  <text x="${width / 2}" y="24" text-anchor="middle" font-size="16" font-weight="bold">${escapeHtml(title)}</text>
${bars}
</svg>
`
}

/** The fields of an MLmodel file that differ between demo models. */
export interface MlmodelSpec {
  flavor: 'pytorch' | 'sklearn'
  artifactPath: string
  runId: string
  modelId?: string
  createdAt: number
  sizeBytes: number
  inputs: string
  outputs: string
}

/** An MLmodel file as MLflow writes it: python_function plus the framework flavor, signature, ids. */
export function mlmodelYaml(spec: MlmodelSpec): string {
  const frameworkFlavor: Record<string, Yamlable> =
    spec.flavor === 'pytorch'
      ? { pytorch: { code: null, model_data: 'data', pytorch_version: '2.4.1' } }
      : {
          sklearn: {
            code: null,
            pickled_model: 'model.pkl',
            serialization_format: 'cloudpickle',
            sklearn_version: '1.5.2',
          },
        }
  const doc: Record<string, Yamlable> = {
    artifact_path: spec.artifactPath,
    flavors: {
      python_function: {
        env: { conda: 'conda.yaml', virtualenv: 'python_env.yaml' },
        loader_module: spec.flavor === 'pytorch' ? 'mlflow.pytorch' : 'mlflow.sklearn',
        ...(spec.flavor === 'pytorch'
          ? { data: 'data', pickle_module_name: 'mlflow.pytorch.pickle_module' }
          : { model_path: 'model.pkl', predict_fn: 'predict' }),
        python_version: '3.11.9',
      },
      ...frameworkFlavor,
    },
    is_signature_from_type_hint: false,
    mlflow_version: spec.modelId ? '3.1.1' : '2.17.2',
    ...(spec.modelId ? { model_id: spec.modelId } : {}),
    model_size_bytes: spec.sizeBytes,
    model_uuid: spec.modelId ?? spec.runId.slice(0, 32),
    run_id: spec.runId,
    signature: { inputs: spec.inputs, outputs: spec.outputs, params: null },
    utc_time_created: new Date(spec.createdAt).toISOString().replace('T', ' ').replace('Z', ''),
  }
  return toYaml(doc)
}

/** The conda.yaml / requirements.txt pair MLflow writes beside a model. */
export function modelEnvironment(packages: string[]): {
  conda: string
  requirements: string
  pythonEnv: string
} {
  return {
    conda: toYaml({
      channels: ['conda-forge'],
      dependencies: ['python=3.11.9', 'pip<=24.2', { pip: ['mlflow==3.1.1', ...packages] }],
      name: 'mlflow-env',
    }),
    requirements: ['mlflow==3.1.1', ...packages].join('\n') + '\n',
    pythonEnv: toYaml({
      python: '3.11.9',
      build_dependencies: ['pip==24.2', 'setuptools', 'wheel'],
      dependencies: ['-r requirements.txt'],
    }),
  }
}
