import { deflateSync } from 'node:zlib'
import { LogbookClient, startRun } from '../../packages/sdk/src/index.ts'
import type { Run } from '../../packages/sdk/src/index.ts'

/**
 * Data for the run, charts and compare e2e tests, logged through the SDK like a user would:
 * a parent run with every artifact kind the browser previews, a child run, and a sibling with
 * different params. The HTML artifact tries to change the UI's title; the tests assert it cannot.
 */

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})

function crc32(bytes: Buffer): number {
  let c = 0xffffffff
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8)
  head.writeUInt32BE(data.length, 0)
  head.write(type, 4, 'ascii')
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0)
  return Buffer.concat([head, data, crc])
}

/** A width×height RGB PNG with a diagonal gradient (a real image for the preview). */
export function gradientPng(width = 160, height = 100): Uint8Array {
  const raw = Buffer.alloc((width * 3 + 1) * height)
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1)
    for (let x = 0; x < width; x++) {
      raw[row + 1 + x * 3] = Math.round((x / width) * 255)
      raw[row + 2 + x * 3] = Math.round((y / height) * 255)
      raw[row + 3 + x * 3] = 160
    }
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(width, 0)
  ihdr.writeUInt32BE(height, 4)
  ihdr.writeUInt8(8, 8)
  ihdr.writeUInt8(2, 9)
  const png = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ])
  return new Uint8Array(png)
}

export const HOSTILE_HTML = `<!doctype html><html><body><h1 id="report">Evaluation report</h1>
<p>Accuracy 0.93</p>
<script>
  try { window.top.document.title = 'pwned-top' } catch (e) {}
  try { parent.document.title = 'pwned-parent' } catch (e) {}
  document.getElementById('report').textContent = 'script ran'
</script></body></html>`

export const MLMODEL = `artifact_path: model
flavors:
  python_function:
    env:
      conda: conda.yaml
      virtualenv: python_env.yaml
    loader_module: mlflow.sklearn
    model_path: model.pkl
    predict_fn: predict
    python_version: 3.11.7
  sklearn:
    code: null
    pickled_model: model.pkl
    serialization_format: cloudpickle
    sklearn_version: 1.4.2
mlflow_version: 2.19.0
model_size_bytes: 2048
model_uuid: 5b1c0e7ad2f54c0b9d6f1f5b0d2e8a11
signature:
  inputs: '[{"type": "double", "name": "sepal_length", "required": true}, {"type": "double", "name": "sepal_width", "required": true}]'
  outputs: '[{"type": "tensor", "tensor-spec": {"dtype": "int64", "shape": [-1]}}]'
  params: null
utc_time_created: '2026-11-27 10:00:00.000000'
`

const CSV = [
  'epoch,loss,accuracy,split',
  ...Array.from(
    { length: 1500 },
    (_, i) => `${i},${(1 / (i + 1)).toFixed(5)},${(1 - 0.5 / (i + 1)).toFixed(5)},"train, main"`,
  ),
].join('\n')

const SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="120" height="80"><rect width="120" height="80" fill="#17a398"/><circle cx="60" cy="40" r="25" fill="#f0a202"/><script>parent.document.title='svg-pwned'</script></svg>`

export interface SeededRuns {
  client: LogbookClient
  experimentId: string
  parent: string
  child: string
  sibling: string
}

/** One point per second from the run's start (so relative time is exactly `step` seconds). */
async function logCurve(run: Run, steps: number, lr: number): Promise<void> {
  const t0 = run.info.start_time
  for (let step = 0; step < steps; step++) {
    const timestamp = t0 + step * 1000
    run.logMetric('loss', 2 / (1 + step * lr * 10) + 0.02 * Math.sin(step), { step, timestamp })
    run.logMetric('accuracy', 1 - 0.9 / (1 + step * lr * 5), { step, timestamp })
  }
  await run.flush()
}

/** Seed the experiment 'ui-e2e' on `url`. */
export async function seedUiRuns(url: string): Promise<SeededRuns> {
  const client = new LogbookClient({ trackingUri: url })
  const parent = await startRun({
    client,
    experiment: 'ui-e2e',
    name: 'baseline',
    user: 'ada',
    tags: {
      team: 'vision',
      'mlflow.source.name': 'train.py',
      'mlflow.source.git.commit': '0123456789abcdef0123456789abcdef01234567',
    },
  })
  await parent.logParams({ lr: 0.01, epochs: 100, optimizer: 'adam', batch_size: 32 })
  await logCurve(parent, 100, 0.01)
  await parent.setTag('mlflow.note.content', '# Baseline\n\nFirst **try**.')
  await parent.logInput(
    { name: 'iris', digest: 'abc123', source_type: 'local', source: '/data/iris.csv' },
    { context: 'training' },
  )
  await parent.logArtifact(gradientPng(), 'plots/loss.png')
  await parent.logArtifact(SVG, 'plots/diagram.svg')
  await parent.logText(
    Array.from({ length: 50 }, (_, i) => `epoch ${i} loss=${(1 / (i + 1)).toFixed(4)}`).join('\n'),
    'logs/train.log',
  )
  // 1.5 MB: the preview shows only the first 1 MB.
  const line = `${'x'.repeat(99)}\n`
  await parent.logText(`BEGIN\n${line.repeat(15_000)}END\n`, 'logs/big.log')
  await parent.logArtifact('{"lr":0.01,"layers":[64,32],"dropout":{"p":0.1}}', 'config.json')
  await parent.logArtifact('model:\n  layers: [64, 32]\n  activation: relu\n', 'params.yaml')
  await parent.logArtifact(CSV, 'data/sample.csv')
  await parent.logArtifact(HOSTILE_HTML, 'report.html')
  await parent.logArtifact(MLMODEL, 'model/MLmodel')
  await parent.logArtifact(new Uint8Array([0, 1, 2, 3, 255, 254]), 'model/model.pkl')
  const model = await client.transport.json<{ model: { info: { model_id: string } } }>(
    'POST',
    '/api/2.0/mlflow/logged-models',
    {
      json: {
        experiment_id: parent.experimentId,
        name: 'iris-model',
        model_type: 'sklearn',
        source_run_id: parent.id,
      },
    },
  )
  await client.transport.json('POST', '/api/2.0/mlflow/runs/outputs', {
    json: { run_id: parent.id, models: [{ model_id: model.model.info.model_id, step: 0 }] },
  })
  await parent.end()

  const child = await startRun({
    client,
    experiment: 'ui-e2e',
    name: 'fold-1',
    parent: parent.id,
    user: 'ada',
  })
  await child.logParams({ lr: 0.01, fold: 1 })
  await logCurve(child, 30, 0.01)
  await child.end()

  const sibling = await startRun({ client, experiment: 'ui-e2e', name: 'high-lr', user: 'ada' })
  await sibling.logParams({ lr: 0.1, epochs: 100, optimizer: 'sgd', batch_size: 32 })
  await logCurve(sibling, 100, 0.1)
  await sibling.end()
  return {
    client,
    experimentId: parent.experimentId,
    parent: parent.id,
    child: child.id,
    sibling: sibling.id,
  }
}
