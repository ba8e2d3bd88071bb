"""Model registry: register, load by registry URI, search, aliases, tags, stages, rename, delete."""

import json

import mlflow
import numpy as np
import pytest
from mlflow.exceptions import MlflowException

from compat_helpers import error_code, unique_name
from model_helpers import iris, log_sklearn_model, train_classifier


@pytest.fixture(scope="module")
def classifiers():
    """Two models that predict differently, to tell versions apart by their predictions."""
    return train_classifier(), train_classifier(regularization=0.01)


def assert_predicts_like(uri, model):
    features, _ = iris()
    loaded = mlflow.sklearn.load_model(uri)
    np.testing.assert_array_equal(loaded.predict(features), model.predict(features))
    np.testing.assert_allclose(loaded.predict_proba(features), model.predict_proba(features))


def log_versions(name, *models):
    """Logs each model in its own run and registers it under `name`; returns (infos, run ids)."""
    infos, run_ids = [], []
    for model in models:
        with mlflow.start_run() as run:
            infos.append(log_sklearn_model(model, registered_model_name=name))
        run_ids.append(run.info.run_id)
    return infos, run_ids


def test_register_a_runs_uri_and_load_by_version(experiment_id, client, classifiers):
    good, _ = classifiers
    name = unique_name("reg-runs")
    with mlflow.start_run() as run:
        info = log_sklearn_model(good)
    version = mlflow.register_model(f"runs:/{run.info.run_id}/model", name)
    assert version.name == name and version.version == "1"
    assert version.status == "READY"
    assert version.run_id == run.info.run_id
    assert version.source == f"models:/{info.model_id}"
    assert_predicts_like(f"models:/{name}/1", good)
    tag = json.loads(client.get_logged_model(info.model_id).tags["mlflow.modelVersions"])
    # MLflow's server records the version (as a number) and the client appends it again (as a
    # string); what counts is that each entry names this version.
    assert tag and {(entry["name"], str(entry["version"])) for entry in tag} == {(name, "1")}
    download_uri = client.get_model_version_download_uri(name, "1")
    assert download_uri == client.get_logged_model(info.model_id).artifact_location


def test_register_a_model_id_uri_and_log_model_with_a_registered_name(
    experiment_id, client, classifiers
):
    good, poor = classifiers
    name = unique_name("reg-ids")
    with mlflow.start_run():
        info = log_sklearn_model(good)
    assert mlflow.register_model(info.model_uri, name).version == "1"
    infos, _ = log_versions(name, poor)
    assert infos[0].registered_model_version == "2"
    assert_predicts_like(f"models:/{name}/1", good)
    assert_predicts_like(f"models:/{name}/2", poor)
    assert_predicts_like(f"models:/{name}/latest", poor)
    assert_predicts_like(info.model_uri, good)


def test_create_a_registered_model_twice_fails(client):
    name = unique_name("reg-dup")
    client.create_registered_model(name)
    with pytest.raises(MlflowException) as exc_info:
        client.create_registered_model(name)
    assert error_code(exc_info) == "RESOURCE_ALREADY_EXISTS"


def test_aliases_set_get_load_and_delete(experiment_id, client, classifiers):
    good, poor = classifiers
    name = unique_name("reg-alias")
    log_versions(name, good, poor)
    client.set_registered_model_alias(name, "champion", "1")
    client.set_registered_model_alias(name, "challenger", "2")
    assert client.get_model_version_by_alias(name, "champion").version == "1"
    assert client.get_registered_model(name).aliases == {"champion": "1", "challenger": "2"}
    assert client.get_model_version(name, "2").aliases == ["challenger"]
    assert_predicts_like(f"models:/{name}@champion", good)

    client.set_registered_model_alias(name, "champion", "2")  # moves the alias
    assert client.get_model_version_by_alias(name, "champion").version == "2"
    assert_predicts_like(f"models:/{name}@champion", poor)
    client.delete_registered_model_alias(name, "champion")
    with pytest.raises(MlflowException) as exc_info:
        client.get_model_version_by_alias(name, "champion")
    assert error_code(exc_info) == "INVALID_PARAMETER_VALUE"
    assert client.get_registered_model(name).aliases == {"challenger": "2"}


def test_tags_and_descriptions_on_models_and_versions(experiment_id, client, classifiers):
    name = unique_name("reg-tags")
    client.create_registered_model(name, tags={"team": "red"}, description="first")
    log_versions(name, classifiers[0])
    client.set_registered_model_tag(name, "domain", "iris")
    client.set_registered_model_tag(name, "team", "blue")
    client.update_registered_model(name, description="updated")
    client.set_model_version_tag(name, "1", "validated", "yes")
    client.set_model_version_tag(name, "1", "reviewer", "ada")
    client.update_model_version(name, "1", description="version one")

    model = client.get_registered_model(name)
    assert model.tags == {"team": "blue", "domain": "iris"}
    assert model.description == "updated"
    version = client.get_model_version(name, "1")
    assert version.tags == {"validated": "yes", "reviewer": "ada"}
    assert version.description == "version one"

    client.delete_registered_model_tag(name, "team")
    client.delete_model_version_tag(name, "1", "reviewer")
    assert client.get_registered_model(name).tags == {"domain": "iris"}
    assert client.get_model_version(name, "1").tags == {"validated": "yes"}


def test_search_registered_models(client):
    prefix = unique_name("reg-search")
    names = [f"{prefix}-b", f"{prefix}-a", f"{prefix}-c"]
    for i, name in enumerate(names):
        client.create_registered_model(name, tags={"rank": str(i)})
    client.create_registered_model(unique_name("reg-other"))

    found = client.search_registered_models(filter_string=f"name LIKE '{prefix}%'")
    assert sorted(m.name for m in found) == sorted(names)
    ordered = client.search_registered_models(
        filter_string=f"name LIKE '{prefix}%'", order_by=["name DESC"]
    )
    assert [m.name for m in ordered] == sorted(names, reverse=True)
    first = client.search_registered_models(
        filter_string=f"name LIKE '{prefix}%'", order_by=["name ASC"], max_results=2
    )
    assert [m.name for m in first] == sorted(names)[:2] and first.token
    rest = client.search_registered_models(
        filter_string=f"name LIKE '{prefix}%'",
        order_by=["name ASC"],
        max_results=2,
        page_token=first.token,
    )
    assert [m.name for m in rest] == sorted(names)[2:] and not rest.token
    exact = client.search_registered_models(filter_string=f"name = '{prefix}-a'")
    assert [m.name for m in exact] == [f"{prefix}-a"]
    tagged = client.search_registered_models(
        filter_string=f"name LIKE '{prefix}%' AND tags.rank = '2'"
    )
    assert [m.name for m in tagged] == [f"{prefix}-c"]


def test_search_model_versions_by_name_and_run_id(experiment_id, client, classifiers):
    name = unique_name("reg-mv")
    other = unique_name("reg-mv-other")
    _, run_ids = log_versions(name, *classifiers, classifiers[0])
    log_versions(other, classifiers[0])

    versions = client.search_model_versions(f"name = '{name}'")
    assert sorted(int(v.version) for v in versions) == [1, 2, 3]
    assert {v.name for v in versions} == {name}
    by_run = client.search_model_versions(f"run_id = '{run_ids[1]}'")
    assert [(v.name, v.version) for v in by_run] == [(name, "2")]
    newest_first = client.search_model_versions(
        f"name = '{name}'", order_by=["version_number DESC"], max_results=2
    )
    assert [v.version for v in newest_first] == ["3", "2"]


def test_stages_and_latest_versions(experiment_id, client, classifiers):
    good, poor = classifiers
    name = unique_name("reg-stage")
    log_versions(name, good, poor, good)
    moved = client.transition_model_version_stage(name, "1", "Production")
    assert moved.current_stage == "Production"
    client.transition_model_version_stage(name, "2", "staging")  # stages are case-insensitive
    latest = {v.current_stage: v.version for v in client.get_latest_versions(name)}
    assert latest == {"Production": "1", "Staging": "2", "None": "3"}
    assert [v.version for v in client.get_latest_versions(name, stages=["Production"])] == ["1"]
    assert_predicts_like(f"models:/{name}/Production", good)

    client.transition_model_version_stage(name, "2", "Production", archive_existing_versions=True)
    assert client.get_model_version(name, "1").current_stage == "Archived"
    assert [v.version for v in client.get_latest_versions(name, stages=["Production"])] == ["2"]
    assert_predicts_like(f"models:/{name}/Production", poor)
    with pytest.raises(MlflowException) as exc_info:
        client.transition_model_version_stage(name, "3", "Shipped")
    assert error_code(exc_info) == "INVALID_PARAMETER_VALUE"


def test_delete_model_version(experiment_id, client, classifiers):
    name = unique_name("reg-delv")
    log_versions(name, *classifiers)
    client.set_registered_model_alias(name, "gone", "2")
    client.delete_model_version(name, "2")
    with pytest.raises(MlflowException) as exc_info:
        client.get_model_version(name, "2")
    assert error_code(exc_info) == "RESOURCE_DOES_NOT_EXIST"
    assert [v.version for v in client.search_model_versions(f"name = '{name}'")] == ["1"]
    assert client.get_registered_model(name).aliases == {}
    # Version numbers are never reused, even after the newest one was deleted.
    infos, _ = log_versions(name, classifiers[0])
    assert infos[0].registered_model_version == "3"


def test_rename_registered_model(experiment_id, client, classifiers):
    good, _ = classifiers
    name = unique_name("reg-old")
    new_name = unique_name("reg-new")
    log_versions(name, good)
    client.set_registered_model_alias(name, "prod", "1")
    client.rename_registered_model(name, new_name)
    assert client.get_registered_model(new_name).aliases == {"prod": "1"}
    with pytest.raises(MlflowException) as exc_info:
        client.get_registered_model(name)
    assert error_code(exc_info) == "RESOURCE_DOES_NOT_EXIST"
    assert client.get_model_version(new_name, "1").name == new_name
    assert_predicts_like(f"models:/{new_name}/1", good)
    assert_predicts_like(f"models:/{new_name}@prod", good)


def test_delete_registered_model(experiment_id, client, classifiers):
    name = unique_name("reg-del")
    infos, _ = log_versions(name, *classifiers)
    client.delete_registered_model(name)
    with pytest.raises(MlflowException) as exc_info:
        client.get_registered_model(name)
    assert error_code(exc_info) == "RESOURCE_DOES_NOT_EXIST"
    assert list(client.search_model_versions(f"name = '{name}'")) == []
    assert list(client.search_registered_models(filter_string=f"name = '{name}'")) == []
    # The logged models themselves stay.
    assert client.get_logged_model(infos[0].model_id).model_id == infos[0].model_id
