import { LogbookClient } from '../../packages/sdk/src/index.ts'

/**
 * `runs` runs in one experiment, logged through the SDK eight requests at a time: three params, two
 * metrics and a tag each, start times one second apart (run-000000 is the oldest).
 */
export async function seedScale(
  trackingUri: string,
  runs: number,
): Promise<{ experimentId: string }> {
  const client = new LogbookClient({ trackingUri })
  const experimentId = await client.createExperiment(`scale-${runs}`)
  const t0 = Date.UTC(2026, 0, 1)
  let next = 0
  const worker = async (): Promise<void> => {
    for (let i = next++; i < runs; i = next++) {
      const run = await client.createRun({
        experimentId,
        runName: `run-${String(i).padStart(6, '0')}`,
        startTime: t0 + i * 1000,
      })
      await client.logBatch(run.info.run_id, {
        params: [
          { key: 'optimizer', value: ['adam', 'sgd', 'rmsprop'][i % 3]! },
          { key: 'lr', value: String((i % 10) / 100) },
          { key: 'seed', value: String(i) },
        ],
        metrics: [
          { key: 'loss', value: ((i * 7919) % 10007) / 10007, timestamp: t0, step: 0 },
          { key: 'acc', value: (i % 1000) / 1000, timestamp: t0, step: 0 },
        ],
        tags: [{ key: 'shard', value: String(i % 16) }],
      })
    }
  }
  await Promise.all(Array.from({ length: 8 }, worker))
  return { experimentId }
}
