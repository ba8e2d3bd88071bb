import { decodeDouble } from '@logbook/core'
import type { Run } from '@logbook/core'

/** Turn MLflow's "NaN"/"Infinity" strings in metric values back into numbers. */
export function decodeMetrics<T extends { value: unknown }>(
  list: T[] | undefined,
): (T & { value: number })[] {
  return (list ?? []).map((m) => ({ ...m, value: decodeDouble(m.value) ?? Number.NaN }))
}

/** A run as received, with decoded metric values and the lists MLflow omits when empty restored. */
export function decodeRun(run: Run): Run {
  const data: Partial<Run['data']> = run.data ?? {}
  const inputs: Partial<Run['inputs']> = run.inputs ?? {}
  const outputs: Partial<Run['outputs']> = run.outputs ?? {}
  return {
    info: run.info,
    data: {
      metrics: decodeMetrics(data.metrics),
      params: data.params ?? [],
      tags: data.tags ?? [],
    },
    inputs: {
      dataset_inputs: inputs.dataset_inputs ?? [],
      model_inputs: inputs.model_inputs ?? [],
    },
    outputs: { model_outputs: outputs.model_outputs ?? [] },
  }
}
