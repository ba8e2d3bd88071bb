"""Run search: filters, ordering, paging, and mlflow.search_runs() DataFrames."""

import math
from dataclasses import dataclass

import mlflow
import pandas as pd
import pytest
from mlflow.entities import Metric, Param, RunTag, ViewType
from mlflow.exceptions import MlflowException

from compat_helpers import SERVER, error_code, unique_name

T0 = 1_700_000_000_000


@dataclass
class Corpus:
    experiment_id: str
    ids: dict[str, str]  # run name -> run id

    def names(self, runs) -> list[str]:
        by_id = {run_id: name for name, run_id in self.ids.items()}
        return [by_id[run.info.run_id] for run in runs]


# name: (start offset, status, params, metrics, tags); "gamma" also has an older, lower acc value.
RUNS = {
    "alpha-1": (
        1000,
        "FINISHED",
        {"model": "Linear", "lr": "0.1"},
        {"acc": 0.9, "loss": 0.3},
        {"team": "Red"},
    ),
    "alpha-2": (
        2000,
        "FINISHED",
        {"model": "linear", "lr": "0.01"},
        {"acc": 0.7, "loss": 0.5},
        {"team": "blue"},
    ),
    "beta-1": (3000, "FAILED", {"model": "Tree"}, {"acc": 0.8}, {"team": "red"}),
    "beta-2": (4000, "RUNNING", {}, {}, {}),
    "gamma": (5000, "KILLED", {"model": "Forest"}, {"acc": 0.95, "loss": 0.1}, {"team": "green"}),
    "delta": (6000, "FINISHED", {"model": "Zeta"}, {"acc": math.nan}, {"team": "blue"}),
}


@pytest.fixture(scope="module")
def corpus(client) -> Corpus:
    experiment_id = client.create_experiment(unique_name("search"))
    ids = {}
    for name, (offset, status, params, metrics, tags) in RUNS.items():
        run = client.create_run(experiment_id, start_time=T0 + offset, run_name=name)
        run_id = run.info.run_id
        history = [Metric(k, v, T0 + offset, 1) for k, v in metrics.items()]
        if name == "gamma":
            history.append(Metric("acc", 0.05, T0 + offset - 1, 0))
        client.log_batch(
            run_id,
            metrics=history,
            params=[Param(k, v) for k, v in params.items()],
            tags=[RunTag(k, v) for k, v in tags.items()],
        )
        if status != "RUNNING":
            client.set_terminated(run_id, status=status, end_time=T0 + offset + 500)
        ids[name] = run_id
    return Corpus(experiment_id, ids)


def search(client, corpus, filter_string="", order_by=None, **kwargs):
    runs = client.search_runs(
        [corpus.experiment_id], filter_string, order_by=order_by or [], **kwargs
    )
    return corpus.names(runs)


@pytest.mark.parametrize(
    ("filter_string", "expected"),
    [
        ("", {"alpha-1", "alpha-2", "beta-1", "beta-2", "gamma", "delta"}),
        # Metric filters compare the latest value (gamma's older 0.05 does not count).
        ("metrics.acc > 0.75", {"alpha-1", "beta-1", "gamma"}),
        ("metrics.acc >= 0.8", {"alpha-1", "beta-1", "gamma"}),
        ("metrics.acc < 0.8", {"alpha-2"}),
        ("metrics.acc <= 0.7", {"alpha-2"}),
        ("metrics.acc = 0.9", {"alpha-1"}),
        # NaN compares like IEEE: every comparison is false except != (MLflow 3.17 does the same).
        ("metrics.acc != 0.9", {"alpha-2", "beta-1", "gamma", "delta"}),
        ("metric.loss < 0.4", {"alpha-1", "gamma"}),
        ("metrics.acc > 0.75 AND metrics.loss < 0.2", {"gamma"}),
        ("metrics.acc > 0.5 and params.model = 'Linear'", {"alpha-1"}),
        ("params.model = 'linear'", {"alpha-2"}),
        ("params.model != 'linear'", {"alpha-1", "beta-1", "gamma", "delta"}),
        ("params.model LIKE 'L%'", {"alpha-1"}),
        ("params.model LIKE '%e%'", {"alpha-1", "alpha-2", "beta-1", "gamma", "delta"}),
        ("params.model LIKE 'T__e'", {"beta-1"}),
        ("params.model ILIKE 'l%'", {"alpha-1", "alpha-2"}),
        ("params.model ILIKE '%REST'", {"gamma"}),
        ("params.lr = '0.1'", {"alpha-1"}),
        ("params.lr IS NULL", {"beta-1", "beta-2", "gamma", "delta"}),
        ("params.lr IS NOT NULL", {"alpha-1", "alpha-2"}),
        ("tags.team = 'red'", {"beta-1"}),
        ("tags.team ILIKE 'red'", {"alpha-1", "beta-1"}),
        ("tags.team LIKE '%e%'", {"alpha-1", "alpha-2", "beta-1", "gamma", "delta"}),
        ("tags.`mlflow.runName` = 'beta-1'", {"beta-1"}),
        ("tags.`mlflow.runName` LIKE 'alpha%'", {"alpha-1", "alpha-2"}),
        ("tags.\"mlflow.runName\" ILIKE 'GAMMA'", {"gamma"}),
        ("attributes.run_name = 'delta'", {"delta"}),
        ("attributes.status = 'FINISHED'", {"alpha-1", "alpha-2", "delta"}),
        ("attributes.status != 'FINISHED'", {"beta-1", "beta-2", "gamma"}),
        ("status = 'FAILED'", {"beta-1"}),
        (f"attributes.start_time > {T0 + 3000}", {"beta-2", "gamma", "delta"}),
        (f"attributes.start_time >= {T0 + 3000}", {"beta-1", "beta-2", "gamma", "delta"}),
        (
            f"attributes.start_time >= {T0 + 2000} AND attributes.start_time < {T0 + 4000}",
            {"alpha-2", "beta-1"},
        ),
        (f"attributes.end_time <= {T0 + 2500}", {"alpha-1", "alpha-2"}),
        ("attributes.status = 'FINISHED' AND tags.team = 'blue'", {"alpha-2", "delta"}),
    ],
)
def test_filters(client, corpus, filter_string, expected):
    assert set(search(client, corpus, filter_string)) == expected


def test_filter_run_id_in(client, corpus):
    wanted = [corpus.ids["alpha-2"], corpus.ids["gamma"]]
    quoted = ", ".join(f"'{run_id}'" for run_id in wanted)
    assert set(search(client, corpus, f"attributes.run_id IN ({quoted})")) == {"alpha-2", "gamma"}
    assert set(search(client, corpus, f"run_id NOT IN ({quoted})")) == {
        "alpha-1",
        "beta-1",
        "beta-2",
        "delta",
    }
    one = corpus.ids["beta-1"]
    assert search(client, corpus, f"attributes.run_id = '{one}'") == ["beta-1"]


@pytest.mark.parametrize(
    ("order_by", "expected"),
    [
        # Default order: start_time DESC.
        ([], ["delta", "gamma", "beta-2", "beta-1", "alpha-2", "alpha-1"]),
        (
            ["attributes.start_time ASC"],
            ["alpha-1", "alpha-2", "beta-1", "beta-2", "gamma", "delta"],
        ),
        # Values first, then NaN, then missing - in both directions.
        (["metrics.acc ASC"], ["alpha-2", "beta-1", "alpha-1", "gamma", "delta", "beta-2"]),
        (["metrics.acc DESC"], ["gamma", "alpha-1", "beta-1", "alpha-2", "delta", "beta-2"]),
        (["metrics.acc"], ["alpha-2", "beta-1", "alpha-1", "gamma", "delta", "beta-2"]),
        # Strings compare by code point; missing last.
        (["params.model ASC"], ["gamma", "alpha-1", "beta-1", "delta", "alpha-2", "beta-2"]),
        (["params.model DESC"], ["alpha-2", "delta", "beta-1", "alpha-1", "gamma", "beta-2"]),
        # Ties on the first key fall back to start_time DESC.
        (["tags.team ASC"], ["alpha-1", "delta", "alpha-2", "gamma", "beta-1", "beta-2"]),
        (
            ["params.lr DESC", "metrics.acc ASC"],
            ["alpha-1", "alpha-2", "beta-1", "gamma", "delta", "beta-2"],
        ),
        (
            ["attributes.run_name DESC"],
            ["gamma", "delta", "beta-2", "beta-1", "alpha-2", "alpha-1"],
        ),
        (["attributes.end_time ASC"], ["alpha-1", "alpha-2", "beta-1", "gamma", "delta", "beta-2"]),
    ],
)
def test_order_by(client, corpus, order_by, expected):
    assert search(client, corpus, order_by=order_by) == expected


def test_filter_and_order_together(client, corpus):
    names = search(client, corpus, "params.model ILIKE '%e%'", order_by=["metrics.loss DESC"])
    assert names == ["alpha-2", "alpha-1", "gamma", "delta", "beta-1"]


def test_paging_returns_every_run_once(client):
    experiment_id = client.create_experiment(unique_name("paging"))
    created = set()
    for i in range(23):
        # Groups of runs share a start_time, so paging must break ties deterministically.
        run = client.create_run(experiment_id, start_time=T0 + i // 4)
        created.add(run.info.run_id)
    full = [r.info.run_id for r in client.search_runs([experiment_id], max_results=100)]
    assert set(full) == created

    collected, token, pages = [], None, 0
    while True:
        page = client.search_runs([experiment_id], max_results=5, page_token=token)
        assert len(page) <= 5
        collected.extend(r.info.run_id for r in page)
        pages += 1
        token = page.token
        if not token:
            break
    assert pages == 5
    assert len(collected) == 23
    assert collected == full


def test_paging_with_filter_and_order(client, corpus):
    collected, token = [], None
    while True:
        page = client.search_runs(
            [corpus.experiment_id],
            "params.model != 'nothing'",
            order_by=["params.model ASC"],
            max_results=2,
            page_token=token,
        )
        collected.extend(corpus.names(page))
        token = page.token
        if not token:
            break
    assert collected == ["gamma", "alpha-1", "beta-1", "delta", "alpha-2"]


def test_search_by_view_type_and_several_experiments(client):
    first = client.create_experiment(unique_name("multi-a"))
    second = client.create_experiment(unique_name("multi-b"))
    a = client.create_run(first).info.run_id
    b = client.create_run(second).info.run_id
    c = client.create_run(second).info.run_id
    client.delete_run(c)
    found = {r.info.run_id for r in client.search_runs([first, second])}
    assert found == {a, b}
    deleted = {
        r.info.run_id
        for r in client.search_runs([first, second], run_view_type=ViewType.DELETED_ONLY)
    }
    assert deleted == {c}
    assert len(client.search_runs([first, second], run_view_type=ViewType.ALL)) == 3
    assert len(client.search_runs([])) == 0


def test_search_runs_dataframe(tracking_uri, corpus):
    df = mlflow.search_runs(
        experiment_ids=[corpus.experiment_id], order_by=["attributes.start_time ASC"]
    )
    assert isinstance(df, pd.DataFrame)
    assert len(df) == len(RUNS)
    for column in ["run_id", "experiment_id", "status", "artifact_uri", "start_time", "end_time"]:
        assert column in df.columns
    for column in [
        "metrics.acc",
        "metrics.loss",
        "params.model",
        "params.lr",
        "tags.team",
        "tags.mlflow.runName",
    ]:
        assert column in df.columns
    assert list(df["tags.mlflow.runName"]) == list(RUNS)
    alpha = df[df["run_id"] == corpus.ids["alpha-1"]].iloc[0]
    assert alpha["metrics.acc"] == 0.9
    assert alpha["params.model"] == "Linear"
    assert alpha["tags.team"] == "Red"
    assert alpha["status"] == "FINISHED"
    assert alpha["experiment_id"] == corpus.experiment_id
    assert alpha["start_time"] == pd.Timestamp(T0 + 1000, unit="ms", tz="UTC")
    beta2 = df[df["run_id"] == corpus.ids["beta-2"]].iloc[0]
    assert math.isnan(beta2["metrics.acc"])
    assert beta2["params.model"] is None or pd.isna(beta2["params.model"])
    gamma = df[df["run_id"] == corpus.ids["gamma"]].iloc[0]
    assert gamma["metrics.acc"] == 0.95

    filtered = mlflow.search_runs(
        experiment_ids=[corpus.experiment_id], filter_string="params.model LIKE '%e%'"
    )
    assert set(filtered["tags.mlflow.runName"]) == {
        "alpha-1",
        "alpha-2",
        "beta-1",
        "gamma",
        "delta",
    }


def test_search_runs_dataframe_by_experiment_name(tracking_uri, client):
    name = unique_name("df-by-name")
    experiment_id = client.create_experiment(name)
    run_id = client.create_run(experiment_id).info.run_id
    client.log_metric(run_id, "m", 2.5)
    df = mlflow.search_runs(experiment_names=[name])
    assert list(df["run_id"]) == [run_id]
    assert list(df["metrics.m"]) == [2.5]


@pytest.mark.skipif(SERVER != "mlflow", reason="MLflow rejects OR; Logbook extends the grammar")
def test_mlflow_rejects_or_in_filters(client, corpus):
    with pytest.raises(MlflowException) as exc_info:
        client.search_runs([corpus.experiment_id], "metrics.acc > 1 OR params.model = 'x'")
    assert error_code(exc_info) == "INVALID_PARAMETER_VALUE"


@pytest.mark.parametrize(
    "bad_filter",
    [
        "params.model = Linear",  # unquoted string
        "metrics.acc > 'high'",  # string for a metric
        "params.model ~ 'x'",  # unknown comparator
        "nonsense.key = 'x'",  # unknown entity
        "metrics.acc >",  # missing value
        "attributes.status IN ('FINISHED')",  # IN only for run_id
    ],
)
def test_invalid_filters_are_client_errors(client, corpus, bad_filter):
    with pytest.raises(MlflowException) as exc_info:
        client.search_runs([corpus.experiment_id], bad_filter)
    assert error_code(exc_info) == "INVALID_PARAMETER_VALUE"


def test_invalid_page_token_is_a_client_error(client, corpus):
    with pytest.raises(MlflowException) as exc_info:
        client.search_runs([corpus.experiment_id], page_token="not-a-token!!")
    assert error_code(exc_info) == "INVALID_PARAMETER_VALUE"
