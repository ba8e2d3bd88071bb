"""The Python side of bench/sdk-million.ts: MLflow's client doing the SDK bench's work.

MlflowClient.log_batch in 1000-metric batches is the MLflow client's fastest way to log metrics
(mlflow.log_metric makes one request per point). Prints one JSON line with what was done.

usage: python bench/sdk-million.py URI EXPERIMENT KEYS STEPS LIMIT_SECONDS
"""

import json
import sys
import time

from mlflow.entities import Metric
from mlflow.tracking import MlflowClient


def main() -> None:
    uri, experiment, keys, steps, limit = sys.argv[1:6]
    keys, steps, limit = int(keys), int(steps), float(limit)
    client = MlflowClient(tracking_uri=uri)
    experiment_id = client.create_experiment(experiment)
    names = [f"m{k}" for k in range(keys)]
    t0 = time.perf_counter()
    run_id = client.create_run(experiment_id).info.run_id
    sent = 0
    batch: list[Metric] = []
    bounded = False
    # Same order as the TypeScript bench: for each step, one point per key.
    for step in range(steps):
        ts = int(time.time() * 1000)
        for name in names:
            batch.append(Metric(name, step * 0.001, ts, step))
        if len(batch) >= 1000:
            client.log_batch(run_id, metrics=batch, synchronous=True)
            sent += len(batch)
            batch = []
            if time.perf_counter() - t0 > limit:
                bounded = True
                break
    if batch and not bounded:
        client.log_batch(run_id, metrics=batch, synchronous=True)
        sent += len(batch)
    client.set_terminated(run_id)
    seconds = time.perf_counter() - t0
    print(json.dumps({"run_id": run_id, "points": sent, "seconds": seconds, "bounded": bounded}))


if __name__ == "__main__":
    main()
