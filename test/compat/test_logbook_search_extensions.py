"""Logbook extends MLflow's AND-only run-filter grammar with OR and parentheses."""

import pytest
from mlflow.entities import Metric, Param

from compat_helpers import logbook_only, unique_name

pytestmark = logbook_only


@pytest.fixture(scope="module")
def runs(client):
    experiment_id = client.create_experiment(unique_name("or-filters"))
    spec = {
        "a2-x": (2.0, "x"),
        "a0-x": (0.5, "x"),
        "a3-y": (3.0, "y"),
        "a0-y": (0.0, "y"),
        "none": (None, None),
    }
    ids = {}
    for name, (a, p) in spec.items():
        run_id = client.create_run(experiment_id, run_name=name).info.run_id
        client.log_batch(
            run_id,
            metrics=[] if a is None else [Metric("a", a, 1000, 0)],
            params=[] if p is None else [Param("p", p)],
        )
        ids[run_id] = name
    return experiment_id, ids


def names(client, runs, filter_string):
    experiment_id, ids = runs
    return {ids[r.info.run_id] for r in client.search_runs([experiment_id], filter_string)}


@pytest.mark.parametrize(
    ("filter_string", "expected"),
    [
        ("metrics.a > 1 OR params.p = 'x'", {"a2-x", "a0-x", "a3-y"}),
        ("metrics.a > 1 or params.p = 'x'", {"a2-x", "a0-x", "a3-y"}),
        ("(metrics.a > 1 OR params.p = 'x') AND metrics.a < 2.5", {"a2-x", "a0-x"}),
        ("metrics.a > 1 OR params.p = 'x' AND metrics.a < 1", {"a2-x", "a0-x", "a3-y"}),
        ("metrics.a > 2.5 OR (params.p = 'y' AND metrics.a < 1)", {"a3-y", "a0-y"}),
        ("((params.p = 'x'))", {"a2-x", "a0-x"}),
        ("attributes.run_name = 'none' OR metrics.a = 0", {"none", "a0-y"}),
    ],
)
def test_or_and_parentheses(client, runs, filter_string, expected):
    assert names(client, runs, filter_string) == expected
