"""Metrics: explicit steps and timestamps, latest values, special floats, long histories."""

import math

import mlflow
from mlflow.entities import Metric

MAX_DOUBLE = 1.7976931348623157e308


def history(client, run_id, key):
    return [(m.value, m.step, m.timestamp) for m in client.get_metric_history(run_id, key)]


def test_log_metric_with_steps_and_timestamps(experiment_id, client):
    with mlflow.start_run() as run:
        mlflow.log_metric("loss", 0.9, step=0, timestamp=1_700_000_000_000)
        mlflow.log_metric("loss", 0.5, step=1, timestamp=1_700_000_000_500)
        mlflow.log_metric("loss", 0.25, step=2, timestamp=1_700_000_001_000)
        mlflow.log_metric("loss", 0.125, step=10, timestamp=1_700_000_002_000)
    assert history(client, run.info.run_id, "loss") == [
        (0.9, 0, 1_700_000_000_000),
        (0.5, 1, 1_700_000_000_500),
        (0.25, 2, 1_700_000_001_000),
        (0.125, 10, 1_700_000_002_000),
    ]
    assert client.get_run(run.info.run_id).data.metrics == {"loss": 0.125}


def test_log_metrics_batch_with_step_and_timestamp(experiment_id, client):
    with mlflow.start_run() as run:
        mlflow.log_metrics({"acc": 0.5, "f1": 1 / 3}, step=4, timestamp=1_700_000_100_000)
        mlflow.log_metrics({"acc": 0.75}, step=5, timestamp=1_700_000_200_000)
    run_id = run.info.run_id
    assert history(client, run_id, "acc") == [
        (0.5, 4, 1_700_000_100_000),
        (0.75, 5, 1_700_000_200_000),
    ]
    assert history(client, run_id, "f1") == [(1 / 3, 4, 1_700_000_100_000)]
    assert client.get_run(run_id).data.metrics == {"acc": 0.75, "f1": 1 / 3}


def test_default_step_is_zero(experiment_id, client):
    with mlflow.start_run() as run:
        mlflow.log_metric("m", 3.5)
    [point] = client.get_metric_history(run.info.run_id, "m")
    assert point.step == 0
    assert point.value == 3.5
    assert point.timestamp > 1_600_000_000_000


def test_latest_metric_is_the_highest_step_not_the_last_logged(experiment_id, client):
    run_id = client.create_run(experiment_id).info.run_id
    client.log_metric(run_id, "m", 1.0, timestamp=1000, step=5)
    client.log_metric(run_id, "m", 2.0, timestamp=2000, step=2)
    assert client.get_run(run_id).data.metrics["m"] == 1.0
    # Same step, later timestamp wins.
    client.log_metric(run_id, "m", 3.0, timestamp=3000, step=5)
    assert client.get_run(run_id).data.metrics["m"] == 3.0


def test_history_is_ordered_by_timestamp_then_step_then_value(experiment_id, client):
    run_id = client.create_run(experiment_id).info.run_id
    client.log_batch(
        run_id,
        metrics=[
            Metric("m", 1.0, 3000, 1),
            Metric("m", 2.0, 1000, 9),
            Metric("m", 3.0, 2000, 5),
            Metric("m", 0.5, 2000, 5),
            Metric("m", 4.0, 2000, 2),
        ],
    )
    assert history(client, run_id, "m") == [
        (2.0, 9, 1000),
        (4.0, 2, 2000),
        (0.5, 5, 2000),
        (3.0, 5, 2000),
        (1.0, 1, 3000),
    ]


def test_history_keeps_repeated_steps(experiment_id, client):
    run_id = client.create_run(experiment_id).info.run_id
    client.log_metric(run_id, "m", 1.0, timestamp=1000, step=0)
    client.log_metric(run_id, "m", 2.0, timestamp=1001, step=0)
    assert history(client, run_id, "m") == [(1.0, 0, 1000), (2.0, 0, 1001)]


def test_nan_and_infinity_round_trip(experiment_id, client):
    with mlflow.start_run() as run:
        mlflow.log_metric("nan", math.nan, step=0, timestamp=1000)
        mlflow.log_metric("pinf", math.inf, step=0, timestamp=1000)
        mlflow.log_metric("ninf", -math.inf, step=0, timestamp=1000)
        mlflow.log_metrics({"batch_nan": math.nan, "batch_inf": math.inf}, step=1)
    run_id = run.info.run_id
    metrics = client.get_run(run_id).data.metrics
    assert math.isnan(metrics["nan"])
    assert math.isnan(metrics["batch_nan"])
    # MLflow stores +-inf as +-max double; Logbook may return real infinities.
    assert metrics["pinf"] >= MAX_DOUBLE
    assert metrics["batch_inf"] >= MAX_DOUBLE
    assert metrics["ninf"] <= -MAX_DOUBLE
    [nan_point] = client.get_metric_history(run_id, "nan")
    assert math.isnan(nan_point.value)
    assert (nan_point.step, nan_point.timestamp) == (0, 1000)
    [inf_point] = client.get_metric_history(run_id, "pinf")
    assert inf_point.value >= MAX_DOUBLE
    [ninf_point] = client.get_metric_history(run_id, "ninf")
    assert ninf_point.value <= -MAX_DOUBLE


def test_extreme_finite_values_round_trip(experiment_id, client):
    run_id = client.create_run(experiment_id).info.run_id
    values = [0.0, -0.5, 5e-324, 1e-300, 123456789.123456789, -1e300, 2**53 + 0.0]
    client.log_batch(run_id, metrics=[Metric("v", v, 1000 + i, i) for i, v in enumerate(values)])
    assert [m.value for m in client.get_metric_history(run_id, "v")] == values


def test_large_step_and_timestamp_values(experiment_id, client):
    run_id = client.create_run(experiment_id).info.run_id
    big_step = 2**40
    big_ts = 4_102_444_800_000  # year 2100
    client.log_metric(run_id, "m", 1.0, timestamp=big_ts, step=big_step)
    assert history(client, run_id, "m") == [(1.0, big_step, big_ts)]


def test_history_of_unknown_key_is_empty(experiment_id, client):
    run_id = client.create_run(experiment_id).info.run_id
    client.log_metric(run_id, "known", 1.0)
    assert client.get_metric_history(run_id, "unknown") == []


def test_metric_history_of_30000_points_spans_pages(experiment_id, client):
    run_id = client.create_run(experiment_id).info.run_id
    total = 30_000  # more than one 25,000-point page of metrics/get-history
    base = 1_700_000_000_000
    points = [Metric("curve", i * 0.5, base + i, i) for i in range(total)]
    for start in range(0, total, 1000):
        client.log_batch(run_id, metrics=points[start : start + 1000])
    got = client.get_metric_history(run_id, "curve")
    assert len(got) == total
    assert [m.step for m in got] == list(range(total))
    assert [m.timestamp for m in got] == [base + i for i in range(total)]
    assert [m.value for m in got] == [i * 0.5 for i in range(total)]
    assert client.get_run(run_id).data.metrics["curve"] == (total - 1) * 0.5
