"""Runs: lifecycle through the fluent API, params, tags, names, nesting, inputs, delete/restore."""

import time

import mlflow
import pandas as pd
import pytest
from mlflow.entities import LifecycleStage, Param, RunStatus, RunTag, ViewType
from mlflow.exceptions import MlflowException

from compat_helpers import error_code


def test_start_run_context_manager_finishes(experiment_id, client):
    before = int(time.time() * 1000)
    with mlflow.start_run(run_name="ok-run") as run:
        assert mlflow.active_run().info.run_id == run.info.run_id
        assert run.info.status == "RUNNING"
        assert run.info.experiment_id == experiment_id
        assert run.info.lifecycle_stage == LifecycleStage.ACTIVE
    assert mlflow.active_run() is None
    finished = client.get_run(run.info.run_id)
    assert finished.info.status == "FINISHED"
    assert finished.info.start_time >= before - 1000
    assert finished.info.end_time is not None
    assert finished.info.end_time >= finished.info.start_time
    assert finished.info.run_name == "ok-run"
    assert finished.info.artifact_uri


def test_start_run_context_manager_fails_on_exception(experiment_id, client):
    with pytest.raises(RuntimeError, match="boom"):
        with mlflow.start_run() as run:
            raise RuntimeError("boom")
    failed = client.get_run(run.info.run_id)
    assert failed.info.status == "FAILED"
    assert failed.info.end_time is not None
    assert failed.info.end_time >= failed.info.start_time


def test_set_terminated_with_explicit_status_and_end_time(experiment_id, client):
    run = client.create_run(experiment_id, start_time=1_700_000_000_000)
    assert run.info.start_time == 1_700_000_000_000
    assert run.info.end_time is None
    client.set_terminated(run.info.run_id, status="KILLED", end_time=1_700_000_005_000)
    info = client.get_run(run.info.run_id).info
    assert info.status == RunStatus.to_string(RunStatus.KILLED)
    assert info.end_time == 1_700_000_005_000


def test_log_param_and_params(experiment_id, client):
    with mlflow.start_run() as run:
        mlflow.log_param("alpha", 0.5)
        mlflow.log_param("empty", "")
        mlflow.log_params({"layers": 3, "optimizer": "adam", "name with space": "x y"})
    params = client.get_run(run.info.run_id).data.params
    assert params == {
        "alpha": "0.5",
        "empty": "",
        "layers": "3",
        "optimizer": "adam",
        "name with space": "x y",
    }


def test_changed_param_value_is_rejected(experiment_id, client):
    with mlflow.start_run() as run:
        mlflow.log_param("lr", "0.1")
        mlflow.log_param("lr", "0.1")  # the same value again is a no-op
        with pytest.raises(MlflowException) as exc_info:
            mlflow.log_param("lr", "0.2")
        assert error_code(exc_info) == "INVALID_PARAMETER_VALUE"
        with pytest.raises(MlflowException) as batch_exc:
            mlflow.log_params({"lr": "0.3"})
        assert error_code(batch_exc) == "INVALID_PARAMETER_VALUE"
    assert client.get_run(run.info.run_id).data.params == {"lr": "0.1"}


def test_duplicate_param_keys_in_one_batch_are_rejected(experiment_id, client):
    run_id = client.create_run(experiment_id).info.run_id
    with pytest.raises(MlflowException) as exc_info:
        client.log_batch(run_id, params=[Param("k", "1"), Param("k", "2")])
    assert error_code(exc_info) == "INVALID_PARAMETER_VALUE"


def test_set_tag_and_tags_upsert(experiment_id, client):
    with mlflow.start_run() as run:
        mlflow.set_tag("team", "red")
        mlflow.set_tags({"team": "blue", "owner": "ana", "blank": ""})
        mlflow.set_tag("phase", 2)
    tags = client.get_run(run.info.run_id).data.tags
    assert tags["team"] == "blue"
    assert tags["owner"] == "ana"
    assert tags["blank"] == ""
    assert tags["phase"] == "2"
    # System tags sent by the client at run creation are kept.
    assert tags["mlflow.source.type"] == "LOCAL"
    assert "mlflow.user" in tags


def test_delete_tag(experiment_id, client):
    run_id = client.create_run(experiment_id).info.run_id
    client.log_batch(run_id, tags=[RunTag("keep", "1"), RunTag("drop", "2")])
    client.delete_tag(run_id, "drop")
    tags = client.get_run(run_id).data.tags
    assert tags["keep"] == "1"
    assert "drop" not in tags
    with pytest.raises(MlflowException) as exc_info:
        client.delete_tag(run_id, "drop")
    assert error_code(exc_info) == "RESOURCE_DOES_NOT_EXIST"


def test_nested_runs_carry_parent_tag(experiment_id, client):
    with mlflow.start_run() as parent:
        with mlflow.start_run(nested=True) as child:
            assert mlflow.active_run().info.run_id == child.info.run_id
        assert mlflow.active_run().info.run_id == parent.info.run_id
    child_run = client.get_run(child.info.run_id)
    assert child_run.data.tags["mlflow.parentRunId"] == parent.info.run_id
    assert child_run.info.status == "FINISHED"
    assert "mlflow.parentRunId" not in client.get_run(parent.info.run_id).data.tags
    children = client.search_runs(
        [experiment_id], f"tags.`mlflow.parentRunId` = '{parent.info.run_id}'"
    )
    assert [r.info.run_id for r in children] == [child.info.run_id]


def test_run_name_generated_and_synced_with_tag(experiment_id, client):
    with mlflow.start_run() as run:
        pass
    info = client.get_run(run.info.run_id)
    generated = info.info.run_name
    assert generated
    assert info.data.tags["mlflow.runName"] == generated

    client.set_tag(run.info.run_id, "mlflow.runName", "renamed-by-tag")
    renamed = client.get_run(run.info.run_id)
    assert renamed.info.run_name == "renamed-by-tag"
    assert renamed.data.tags["mlflow.runName"] == "renamed-by-tag"

    client.update_run(run.info.run_id, name="renamed-by-update")
    updated = client.get_run(run.info.run_id)
    assert updated.info.run_name == "renamed-by-update"
    assert updated.data.tags["mlflow.runName"] == "renamed-by-update"
    assert updated.info.status == "FINISHED"


def test_explicit_run_name_sets_tag(experiment_id, client):
    with mlflow.start_run(run_name="my name") as run:
        pass
    fetched = client.get_run(run.info.run_id)
    assert fetched.info.run_name == "my name"
    assert fetched.data.tags["mlflow.runName"] == "my name"


def test_run_ids_are_lowercase_hex(experiment_id, client):
    run_id = client.create_run(experiment_id).info.run_id
    assert run_id == run_id.lower()
    assert run_id.isalnum()
    assert client.get_run(run_id).info.run_id == run_id


def test_log_input_pandas_dataset(experiment_id, client):
    df = pd.DataFrame({"x": [1.0, 2.0, 3.0], "y": [0.0, 1.0, 0.0]})
    dataset = mlflow.data.from_pandas(df, name="toy", targets="y")
    expected = dataset._to_mlflow_entity()
    with mlflow.start_run() as run:
        mlflow.log_input(dataset, context="training")
        mlflow.log_input(dataset, context="training")  # re-logging the same dataset is a no-op
    inputs = client.get_run(run.info.run_id).inputs.dataset_inputs
    assert len(inputs) == 1
    logged = inputs[0]
    assert logged.dataset.name == "toy"
    assert logged.dataset.digest == dataset.digest
    assert logged.dataset.source_type == expected.source_type
    assert logged.dataset.source == expected.source
    assert logged.dataset.schema == expected.schema
    assert logged.dataset.profile == expected.profile
    assert {t.key: t.value for t in logged.tags} == {"mlflow.data.context": "training"}
    found = client.search_runs(
        [experiment_id], "datasets.name = 'toy' AND datasets.context = 'training'"
    )
    assert [r.info.run_id for r in found] == [run.info.run_id]
    assert client.search_runs([experiment_id], "datasets.context = 'eval'") == []


def test_delete_and_restore_run(experiment_id, client):
    keep = client.create_run(experiment_id).info.run_id
    gone = client.create_run(experiment_id).info.run_id
    client.log_param(gone, "p", "v")
    client.delete_run(gone)

    deleted = client.get_run(gone)  # deleted runs stay readable
    assert deleted.info.lifecycle_stage == LifecycleStage.DELETED
    assert deleted.data.params == {"p": "v"}

    def ids(view_type):
        return {r.info.run_id for r in client.search_runs([experiment_id], run_view_type=view_type)}

    assert ids(ViewType.ACTIVE_ONLY) == {keep}
    assert ids(ViewType.DELETED_ONLY) == {gone}
    assert ids(ViewType.ALL) == {keep, gone}

    with pytest.raises(MlflowException) as exc_info:
        client.log_param(gone, "q", "w")
    assert error_code(exc_info) == "INVALID_PARAMETER_VALUE"
    with pytest.raises(MlflowException) as exc_info:
        client.set_tag(gone, "t", "x")
    assert error_code(exc_info) == "INVALID_PARAMETER_VALUE"

    client.restore_run(gone)
    assert client.get_run(gone).info.lifecycle_stage == LifecycleStage.ACTIVE
    assert ids(ViewType.ACTIVE_ONLY) == {keep, gone}
    assert ids(ViewType.DELETED_ONLY) == set()
    client.log_param(gone, "q", "w")
    assert client.get_run(gone).data.params == {"p": "v", "q": "w"}


def test_get_unknown_run_raises_not_found(client):
    with pytest.raises(MlflowException) as exc_info:
        client.get_run("0123456789abcdef0123456789abcdef")
    assert error_code(exc_info) == "RESOURCE_DOES_NOT_EXIST"


def test_create_run_in_unknown_experiment(client):
    with pytest.raises(MlflowException) as exc_info:
        client.create_run("987654321")
    assert error_code(exc_info) == "RESOURCE_DOES_NOT_EXIST"


def test_artifact_uri_is_proxied_under_the_experiment(experiment_id, client):
    experiment = client.get_experiment(experiment_id)
    # --artifacts-destination makes the server an artifact proxy: runs get mlflow-artifacts: URIs.
    assert experiment.artifact_location == f"mlflow-artifacts:/{experiment_id}"
    run = client.create_run(experiment_id)
    expected = f"{experiment.artifact_location}/{run.info.run_id}/artifacts"
    assert run.info.artifact_uri == expected
    assert client.get_run(run.info.run_id).info.artifact_uri == expected


def test_long_param_and_tag_values_are_truncated(experiment_id, client):
    run_id = client.create_run(experiment_id).info.run_id
    client.log_param(run_id, "long", "p" * 7000)
    client.set_tag(run_id, "long", "t" * 9000)
    data = client.get_run(run_id).data
    assert data.params["long"] == "p" * 6000
    assert data.tags["long"] == "t" * 8000
