import type { KeyValue, LoggedModel, ModelVersion } from '@logbook/core'
import { proxyArtifactRoot, type LogbookClient } from '@logbook/sdk'
import type { Rng } from './random.ts'
import { mlmodelYaml, modelEnvironment } from './text-files.ts'

/**
 * Logged models and the registry, through the SDK's low-level transport (the SDK has no typed
 * calls for these routes yet): MLflow 3's log_model sequence, then register, stage and alias.
 */

const API = '/api/2.0/mlflow'

const kv = (record: Record<string, string>): KeyValue[] =>
  Object.entries(record).map(([key, value]) => ({ key, value }))

function call<T>(
  client: LogbookClient,
  method: 'POST' | 'PATCH',
  route: string,
  body: unknown,
): Promise<T> {
  return client.transport.json<T>(method, `${API}/${route}`, { json: body })
}

function get<T>(client: LogbookClient, route: string, query: Record<string, string>): Promise<T> {
  return client.transport.json<T>('GET', `${API}/${route}?${new URLSearchParams(query).toString()}`)
}

/** Float32 weights (normal, sd 0.05) as little-endian bytes: the stand-in for a state dict. */
export function fakeWeights(rng: Rng, count: number): Uint8Array {
  const view = new DataView(new ArrayBuffer(count * 4))
  for (let i = 0; i < count; i++) view.setFloat32(i * 4, rng.normal(0, 0.05), true)
  return new Uint8Array(view.buffer)
}

const CNN_SIGNATURE = {
  inputs: '[{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, 1, 28, 28]}}]',
  outputs: '[{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, 10]}}]',
}

/** What to log as one MLflow 3 logged model of a finished classifier run. */
export interface LoggedModelSpec {
  experimentId: string
  runId: string
  params: Record<string, string>
  metrics: { key: string; value: number }[]
  step: number
  timestamp: number
}

/**
 * `mlflow.pytorch.log_model` as MLflow 3 does it: create the logged model, upload its files to the
 * model's own artifact root, mark it READY, record it as the run's output, and log its metrics.
 */
export async function logPytorchModel(
  client: LogbookClient,
  rng: Rng,
  spec: LoggedModelSpec,
): Promise<LoggedModel> {
  // Drawn before the first await so concurrent calls stay deterministic.
  const weights = fakeWeights(rng, 24_000)
  const { model } = await call<{ model: LoggedModel }>(client, 'POST', 'logged-models', {
    experiment_id: spec.experimentId,
    name: 'model',
    source_run_id: spec.runId,
    params: kv(spec.params),
    tags: kv({
      'mlflow.source.name': 'train.py',
      'mlflow.source.type': 'LOCAL',
      framework: 'pytorch',
    }),
  })
  const id = model.info.model_id
  const root = proxyArtifactRoot(model.info.artifact_uri)
  const env = modelEnvironment(['torch==2.4.1', 'torchvision==0.19.1', 'numpy==1.26.4'])
  const files: [string, Uint8Array | string][] = [
    ['data/model.pth', weights],
    ['data/pickle_module_info.txt', 'mlflow.pytorch.pickle_module\n'],
    ['conda.yaml', env.conda],
    ['python_env.yaml', env.pythonEnv],
    ['requirements.txt', env.requirements],
    [
      'input_example.json',
      JSON.stringify({ inputs: [[Array.from({ length: 28 }, () => Array<number>(28).fill(0))]] }),
    ],
    [
      'MLmodel',
      mlmodelYaml({
        flavor: 'pytorch',
        artifactPath: model.info.artifact_uri,
        runId: spec.runId,
        modelId: id,
        createdAt: spec.timestamp,
        sizeBytes: weights.length,
        ...CNN_SIGNATURE,
      }),
    ],
  ]
  await Promise.all(files.map(([path, data]) => client.uploadArtifact(`${root}/${path}`, data)))
  await call(client, 'PATCH', `logged-models/${id}`, { model_id: id, status: 'LOGGED_MODEL_READY' })
  await call(client, 'POST', 'runs/outputs', {
    run_id: spec.runId,
    models: [{ model_id: id, step: spec.step }],
  })
  // MLflow 3 links evaluation metrics to the model (and dataset); the SDK's logBatch drops model_id.
  const metrics = spec.metrics.map((m) => ({
    ...m,
    step: spec.step,
    timestamp: spec.timestamp,
    model_id: id,
    dataset_name: 'mnist-test',
    dataset_digest: '9f2e6a47',
  }))
  await call(client, 'POST', 'runs/log-batch', { run_id: spec.runId, metrics })
  return (await get<{ model: LoggedModel }>(client, `logged-models/${id}`, {})).model
}

/** One version to register: its logged model or run source, description, tags, stage, aliases. */
export interface VersionSpec {
  source: string
  runId: string
  modelId?: string
  description: string
  tags: Record<string, string>
  stage?: 'Staging' | 'Production' | 'Archived'
  aliases?: string[]
}

/** Create a registered model with its versions; returns the versions as the server has them. */
export async function registerModel(
  client: LogbookClient,
  name: string,
  description: string,
  tags: Record<string, string>,
  versions: VersionSpec[],
): Promise<ModelVersion[]> {
  await call(client, 'POST', 'registered-models/create', { name, description, tags: kv(tags) })
  const created: ModelVersion[] = []
  for (const v of versions) {
    const { model_version: mv } = await call<{ model_version: ModelVersion }>(
      client,
      'POST',
      'model-versions/create',
      {
        name,
        source: v.source,
        run_id: v.runId,
        model_id: v.modelId,
        description: v.description,
        tags: kv(v.tags),
      },
    )
    if (v.stage) {
      await call(client, 'POST', 'model-versions/transition-stage', {
        name,
        version: mv.version,
        stage: v.stage,
        archive_existing_versions: false,
      })
    }
    for (const alias of v.aliases ?? []) {
      await call(client, 'POST', 'registered-models/alias', { name, alias, version: mv.version })
    }
    created.push(mv)
  }
  const final = await Promise.all(
    created.map((mv) =>
      get<{ model_version: ModelVersion }>(client, 'model-versions/get', {
        name,
        version: mv.version,
      }),
    ),
  )
  return final.map((r) => r.model_version)
}
