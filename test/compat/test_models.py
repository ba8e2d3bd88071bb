"""Logged models (MLflow 3): log_model for sklearn and pyfunc, load_model by URI, search, tags."""

from pathlib import Path

import mlflow
import numpy as np
import pytest
from mlflow.entities import LoggedModelStatus
from mlflow.exceptions import MlflowException

from compat_helpers import error_code, unique_name
from model_helpers import iris, log_pyfunc_model, log_sklearn_model, train_classifier

# mlflow 3.17 saves scikit-learn models with skops by default (autolog still pickles).
MODEL_FILES = {"MLmodel", "conda.yaml", "model.skops", "python_env.yaml", "requirements.txt"}


@pytest.fixture(scope="module")
def classifier():
    return train_classifier()


def test_sklearn_log_model_makes_a_ready_logged_model(
    experiment_id, client, classifier, artifact_store
):
    features, _ = iris()
    with mlflow.start_run() as run:
        mlflow.log_params({"max_iter": 300, "solver": "lbfgs"})
        mlflow.log_metric("accuracy", 0.97, step=0)
        info = log_sklearn_model(classifier, input_example=features.head(3))
    run_id = run.info.run_id
    model_id = info.model_id
    assert info.model_uri == f"models:/{model_id}"

    model = client.get_logged_model(model_id)
    assert model.name == "model"
    assert model.status == LoggedModelStatus.READY
    assert model.experiment_id == experiment_id
    assert model.source_run_id == run_id
    location = f"mlflow-artifacts:/{experiment_id}/models/{model_id}/artifacts"
    assert model.artifact_location == location
    assert model.params == {"max_iter": "300", "solver": "lbfgs"}  # copied from the run
    assert [(m.key, m.value, m.model_id) for m in model.metrics] == [("accuracy", 0.97, model_id)]
    outputs = client.get_run(run_id).outputs.model_outputs
    assert [(o.model_id, o.step) for o in outputs] == [(model_id, 0)]

    listed = {f.path for f in client.list_logged_model_artifacts(model_id)}
    assert MODEL_FILES | {"input_example.json", "serving_input_example.json"} <= listed
    stored = artifact_store.files(f"{experiment_id}/models/{model_id}/artifacts")
    assert MODEL_FILES <= set(stored)
    assert all(size > 0 for size in stored.values())


@pytest.mark.parametrize("uri_kind", ["models-id", "runs"])
def test_sklearn_load_model_predicts_like_the_original(experiment_id, classifier, uri_kind):
    features, _ = iris()
    with mlflow.start_run() as run:
        info = log_sklearn_model(classifier)
    uri = info.model_uri if uri_kind == "models-id" else f"runs:/{run.info.run_id}/model"
    loaded = mlflow.sklearn.load_model(uri)
    np.testing.assert_array_equal(loaded.predict(features), classifier.predict(features))
    np.testing.assert_allclose(loaded.predict_proba(features), classifier.predict_proba(features))
    as_pyfunc = mlflow.pyfunc.load_model(uri)
    np.testing.assert_array_equal(as_pyfunc.predict(features), classifier.predict(features))
    assert as_pyfunc.metadata.model_id == info.model_id


def test_pyfunc_python_model_with_an_artifact(experiment_id, client, tmp_path):
    with mlflow.start_run() as run:
        info = log_pyfunc_model(tmp_path, scale=3.0, shift=0.25)
    inputs = np.array([[1.0, 2.0], [-4.0, 0.5]])
    for uri in (info.model_uri, f"runs:/{run.info.run_id}/model"):
        loaded = mlflow.pyfunc.load_model(uri)
        np.testing.assert_allclose(loaded.predict(inputs), inputs * 3.0 + 0.25)
    listed = {f.path for f in client.list_logged_model_artifacts(info.model_id)}
    assert {"MLmodel", "python_model.pkl", "artifacts"} <= listed
    nested = client.list_logged_model_artifacts(info.model_id, "artifacts")
    assert [f.path for f in nested] == ["artifacts/shift.txt"]
    name = unique_name("pyfunc")
    assert mlflow.register_model(info.model_uri, name).version == "1"
    client.set_registered_model_alias(name, "live", "1")
    for uri in (f"models:/{name}/1", f"models:/{name}@live"):
        loaded = mlflow.pyfunc.load_model(uri)
        np.testing.assert_allclose(loaded.predict(inputs), inputs * 3.0 + 0.25)


def test_download_model_artifacts_by_run_path(experiment_id, classifier, tmp_path):
    """`download_artifacts(run_id, "model")` also finds the run's logged model named `model`."""
    with mlflow.start_run() as run:
        log_sklearn_model(classifier)
    folder = mlflow.artifacts.download_artifacts(
        run_id=run.info.run_id, artifact_path="model", dst_path=str(tmp_path)
    )
    assert MODEL_FILES <= {p.name for p in Path(folder).iterdir()}


def test_search_logged_models_by_name(experiment_id, client, classifier, tmp_path):
    with mlflow.start_run() as run:
        first = log_sklearn_model(classifier, name="alpha")
        second = log_sklearn_model(classifier, name="beta")
        third = log_pyfunc_model(tmp_path, name="alpha-pyfunc")
    found = mlflow.search_logged_models(
        experiment_ids=[experiment_id], filter_string="name = 'alpha'", output_format="list"
    )
    assert [m.model_id for m in found] == [first.model_id]
    frame = mlflow.search_logged_models(experiment_ids=[experiment_id])
    # Newest first by default.
    assert list(frame["model_id"]) == [third.model_id, second.model_id, first.model_id]
    assert set(frame["name"]) == {"alpha", "beta", "alpha-pyfunc"}
    paged = client.search_logged_models([experiment_id], max_results=2)
    assert len(paged) == 2 and paged.token
    rest = client.search_logged_models([experiment_id], max_results=2, page_token=paged.token)
    assert [m.model_id for m in list(paged) + list(rest)] == [
        third.model_id,
        second.model_id,
        first.model_id,
    ]
    assert not rest.token
    by_run = client.search_logged_models(
        [experiment_id], filter_string=f"source_run_id = '{run.info.run_id}' AND name != 'beta'"
    )
    assert {m.model_id for m in by_run} == {first.model_id, third.model_id}
    ordered = client.search_logged_models(
        [experiment_id], order_by=[{"field_name": "name", "ascending": True}]
    )
    assert [m.name for m in ordered] == ["alpha", "alpha-pyfunc", "beta"]


def test_set_and_delete_logged_model_tags(experiment_id, client, classifier):
    with mlflow.start_run():
        info = log_sklearn_model(classifier)
    client.set_logged_model_tags(info.model_id, {"stage": "candidate", "owner": "compat"})
    client.set_logged_model_tags(info.model_id, {"stage": "approved"})  # upsert
    tags = client.get_logged_model(info.model_id).tags
    assert tags["stage"] == "approved" and tags["owner"] == "compat"
    found = client.search_logged_models([experiment_id], filter_string="tags.stage = 'approved'")
    assert [m.model_id for m in found] == [info.model_id]
    client.delete_logged_model_tag(info.model_id, "owner")
    assert "owner" not in client.get_logged_model(info.model_id).tags


def test_get_and_delete_logged_model(experiment_id, client, classifier):
    with mlflow.start_run():
        info = log_sklearn_model(classifier)
    client.delete_logged_model(info.model_id)
    with pytest.raises(MlflowException) as exc_info:
        client.get_logged_model(info.model_id)
    assert error_code(exc_info) == "RESOURCE_DOES_NOT_EXIST"
    assert list(client.search_logged_models([experiment_id])) == []


def test_get_unknown_logged_model_is_not_found(client):
    with pytest.raises(MlflowException) as exc_info:
        client.get_logged_model("m-00000000000000000000000000000000")
    assert error_code(exc_info) == "RESOURCE_DOES_NOT_EXIST"


def test_model_without_a_run(experiment_id, client):
    """`mlflow.initialize_logged_model` + finalize: a logged model that no run produced."""
    model = mlflow.initialize_logged_model(name="external", tags={"kind": "external"})
    assert model.status == LoggedModelStatus.PENDING
    assert not model.source_run_id  # MLflow's server answers ""
    finalized = client.finalize_logged_model(model.model_id, LoggedModelStatus.READY)
    assert finalized.status == LoggedModelStatus.READY
    assert client.get_logged_model(model.model_id).tags["kind"] == "external"
