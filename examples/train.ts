/**
 * Train a small neural network on the Iris data (examples/data/iris.csv) in plain TypeScript and
 * track it with Logbook's SDK: params, per-epoch loss and accuracy, a plot and the model file.
 *
 *   LOGBOOK_TRACKING_URI=http://127.0.0.1:5000 npx tsx examples/train.ts [--epochs 300] [--lr 0.5]
 */
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { startRun } from '@logbook/sdk/node'
import { loadIris, prng } from './lib/iris.ts'
import { createMlp, evaluate, trainEpoch } from './lib/mlp.ts'
import { lineChartSvg } from './lib/svg-plot.ts'

const DATA = fileURLToPath(new URL('./data/iris.csv', import.meta.url))

const { values: args } = parseArgs({
  options: {
    epochs: { type: 'string', default: '300' },
    lr: { type: 'string', default: '0.5' },
    hidden: { type: 'string', default: '8' },
    l2: { type: 'string', default: '0.0005' },
    seed: { type: 'string', default: '42' },
    experiment: { type: 'string', default: 'iris-examples' },
  },
})
const params = {
  epochs: Number(args.epochs),
  lr: Number(args.lr),
  hidden: Number(args.hidden),
  l2: Number(args.l2),
  seed: Number(args.seed),
  model: 'mlp-tanh-softmax',
  optimizer: 'full-batch gradient descent',
}

const data = loadIris(DATA, params.seed)
await using run = await startRun({
  experiment: args.experiment,
  name: `ts-mlp-h${params.hidden}`,
  tags: { language: 'typescript', dataset: 'iris' },
})
process.stdout.write(`RUN_ID=${run.id}\n`)
await run.logParams({ ...params, train_rows: data.train.x.length, test_rows: data.test.x.length })
await run.logInput(
  {
    name: 'iris',
    digest: data.digest,
    source_type: 'local',
    source: JSON.stringify({ uri: 'examples/data/iris.csv' }),
    schema: JSON.stringify({ features: data.features, target: 'species', classes: data.classes }),
  },
  { context: 'training' },
)

const model = createMlp(4, params.hidden, data.classes.length, prng(params.seed + 1))
const curves = { trainLoss: [] as number[], testLoss: [] as number[], testAcc: [] as number[] }
for (let epoch = 0; epoch < params.epochs; epoch++) {
  trainEpoch(model, data.train, params.lr, params.l2)
  const train = evaluate(model, data.train)
  const test = evaluate(model, data.test)
  // Queued and sent in the background: logging never waits on the network.
  run.logMetrics(
    {
      train_loss: train.loss,
      train_accuracy: train.accuracy,
      test_loss: test.loss,
      test_accuracy: test.accuracy,
    },
    { step: epoch },
  )
  curves.trainLoss.push(train.loss)
  curves.testLoss.push(test.loss)
  curves.testAcc.push(test.accuracy)
}

const final = evaluate(model, data.test)
await run.setTags({ final_test_accuracy: final.accuracy.toFixed(4) })
await run.logArtifact(
  lineChartSvg('Iris MLP: loss and accuracy', 'value', [
    { name: 'train loss', color: '#1f77b4', values: curves.trainLoss },
    { name: 'test loss', color: '#ff7f0e', values: curves.testLoss },
    { name: 'test accuracy', color: '#2ca02c', values: curves.testAcc },
  ]),
  'plots/training.svg',
)
await run.logJson(
  {
    format: 'logbook-example-mlp/1',
    features: data.features,
    classes: data.classes,
    activation: 'tanh',
    ...model,
  },
  'model/model.json',
)
process.stdout.write(
  `test accuracy ${(final.accuracy * 100).toFixed(1)}% after ${params.epochs} epochs\n`,
)
