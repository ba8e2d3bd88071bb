"""Experiments: the default experiment, set_experiment, create, rename, delete/restore, tags."""

import mlflow
import pytest
from mlflow.entities import LifecycleStage, ViewType
from mlflow.exceptions import MlflowException

from compat_helpers import error_code, unique_name


def test_default_experiment_exists(client):
    experiment = client.get_experiment("0")
    assert experiment.experiment_id == "0"
    assert experiment.name == "Default"
    assert experiment.lifecycle_stage == LifecycleStage.ACTIVE
    assert client.get_experiment_by_name("Default").experiment_id == "0"


def test_start_run_without_experiment_uses_default(tracking_uri, client, monkeypatch):
    monkeypatch.delenv("MLFLOW_EXPERIMENT_NAME", raising=False)
    monkeypatch.delenv("MLFLOW_EXPERIMENT_ID", raising=False)
    # A previous test may have made another experiment active for the fluent API.
    monkeypatch.setattr(mlflow.tracking.fluent, "_active_experiment_id", None)
    with mlflow.start_run() as run:
        pass
    assert run.info.experiment_id == "0"
    assert client.get_run(run.info.run_id).info.experiment_id == "0"


def test_set_experiment_creates_then_reuses(tracking_uri, client):
    name = unique_name("set-exp")
    assert client.get_experiment_by_name(name) is None
    created = mlflow.set_experiment(name)
    assert created.name == name
    assert created.lifecycle_stage == LifecycleStage.ACTIVE
    assert created.experiment_id != "0"
    again = mlflow.set_experiment(name)
    assert again.experiment_id == created.experiment_id
    by_id = mlflow.set_experiment(experiment_id=created.experiment_id)
    assert by_id.name == name
    fetched = client.get_experiment(created.experiment_id)
    assert fetched.name == name
    assert fetched.artifact_location
    assert fetched.creation_time > 0


def test_get_experiment_by_name_missing_is_none(client):
    assert client.get_experiment_by_name(unique_name("no-such-experiment")) is None


def test_get_unknown_experiment_raises_not_found(client):
    with pytest.raises(MlflowException) as exc_info:
        client.get_experiment("987654321")
    assert error_code(exc_info) == "RESOURCE_DOES_NOT_EXIST"


def test_create_experiment_duplicate_name(client):
    name = unique_name("dup")
    experiment_id = client.create_experiment(name)
    assert isinstance(experiment_id, str)
    with pytest.raises(MlflowException) as exc_info:
        client.create_experiment(name)
    assert error_code(exc_info) == "RESOURCE_ALREADY_EXISTS"
    assert client.get_experiment_by_name(name).experiment_id == experiment_id


def test_create_experiment_with_tags(client):
    name = unique_name("tagged")
    experiment_id = client.create_experiment(name, tags={"team": "vision", "empty": ""})
    client.set_experiment_tag(experiment_id, "stage", "dev")
    client.set_experiment_tag(experiment_id, "team", "nlp")
    tags = client.get_experiment(experiment_id).tags
    assert tags["team"] == "nlp"
    assert tags["stage"] == "dev"
    assert tags["empty"] == ""


def test_rename_experiment(client):
    old, new = unique_name("old"), unique_name("new")
    experiment_id = client.create_experiment(old)
    client.rename_experiment(experiment_id, new)
    assert client.get_experiment(experiment_id).name == new
    assert client.get_experiment_by_name(new).experiment_id == experiment_id
    assert client.get_experiment_by_name(old) is None


def test_rename_experiment_to_taken_name_fails(client):
    taken = unique_name("taken")
    client.create_experiment(taken)
    experiment_id = client.create_experiment(unique_name("other"))
    with pytest.raises(MlflowException) as exc_info:
        client.rename_experiment(experiment_id, taken)
    assert exc_info.value.get_http_status_code() < 500
    assert client.get_experiment(experiment_id).name != taken


def _run_ids(client, experiment_id, view_type):
    runs = client.search_runs([experiment_id], run_view_type=view_type)
    return {run.info.run_id for run in runs}


def test_delete_and_restore_experiment_cascades_to_runs(client):
    name = unique_name("lifecycle")
    experiment_id = client.create_experiment(name)
    run_a = client.create_run(experiment_id).info.run_id
    run_b = client.create_run(experiment_id).info.run_id
    client.delete_run(run_b)  # deleted on its own before the experiment

    client.delete_experiment(experiment_id)
    deleted = client.get_experiment(experiment_id)
    assert deleted.lifecycle_stage == LifecycleStage.DELETED
    # get-by-name still finds deleted experiments, and the name stays reserved.
    assert client.get_experiment_by_name(name).lifecycle_stage == LifecycleStage.DELETED
    assert client.get_run(run_a).info.lifecycle_stage == LifecycleStage.DELETED
    assert _run_ids(client, experiment_id, ViewType.ACTIVE_ONLY) == set()
    assert _run_ids(client, experiment_id, ViewType.DELETED_ONLY) == {run_a, run_b}
    with pytest.raises(MlflowException) as exc_info:
        client.create_experiment(name)
    assert error_code(exc_info) == "RESOURCE_ALREADY_EXISTS"
    assert experiment_id not in {
        e.experiment_id for e in client.search_experiments(view_type=ViewType.ACTIVE_ONLY)
    }
    assert experiment_id in {
        e.experiment_id for e in client.search_experiments(view_type=ViewType.DELETED_ONLY)
    }

    client.restore_experiment(experiment_id)
    assert client.get_experiment(experiment_id).lifecycle_stage == LifecycleStage.ACTIVE
    # Restoring the experiment restores all of its runs, including the one deleted on its own.
    assert _run_ids(client, experiment_id, ViewType.ACTIVE_ONLY) == {run_a, run_b}
    assert client.get_run(run_a).info.lifecycle_stage == LifecycleStage.ACTIVE


def test_set_experiment_on_deleted_experiment_fails(client):
    name = unique_name("gone")
    experiment_id = client.create_experiment(name)
    client.delete_experiment(experiment_id)
    with pytest.raises(MlflowException):
        mlflow.set_experiment(name)
    with pytest.raises(MlflowException) as exc_info:
        client.create_run(experiment_id)
    assert exc_info.value.get_http_status_code() == 400


def test_search_experiments_by_name(client):
    prefix = unique_name("searchexp")
    ids = [client.create_experiment(f"{prefix}-{i}") for i in range(3)]
    found = client.search_experiments(filter_string=f"name LIKE '{prefix}-%'")
    assert sorted(e.experiment_id for e in found) == sorted(ids)
    exact = client.search_experiments(filter_string=f"name = '{prefix}-1'")
    assert [e.experiment_id for e in exact] == [ids[1]]
