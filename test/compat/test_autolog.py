"""`mlflow.sklearn.autolog()` around real scikit-learn fits on iris.

What 3.17.2's autolog logs (checked against MLflow's own server): the estimator's params, tags
`estimator_name`/`estimator_class`, the training dataset as a run input, a logged model named
`model` (pickled) linked to the run, `training_*` metrics (also on the model, with the dataset),
`estimator.html` and `training_confusion_matrix.png`, and for post-training metrics (a later
`score` call) `metric_info.json`; parameter searches add child runs,
`best_*` params, `best_cv_score` and `cv_results.csv`.
"""

import json
from pathlib import Path

import mlflow
import numpy as np
import pytest
from mlflow.entities import LoggedModelStatus
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score
from sklearn.model_selection import GridSearchCV

from model_helpers import iris

TRAINING_METRICS = {
    "training_precision_score",
    "training_recall_score",
    "training_f1_score",
    "training_accuracy_score",
    "training_log_loss",
    "training_roc_auc",
    "training_score",
}
PLOTS = {"estimator.html", "training_confusion_matrix.png"}


@pytest.fixture
def autolog():
    """Turns sklearn autologging on for one test, and off again whatever happens."""
    def enable(**kwargs):
        mlflow.sklearn.autolog(silent=True, **kwargs)

    try:
        yield enable
    finally:
        mlflow.sklearn.autolog(disable=True)


def test_autolog_of_a_classifier_fit(experiment_id, client, tmp_path, autolog):
    features, target = iris()
    autolog()
    estimator = LogisticRegression(max_iter=300).fit(features, target)
    eval_features, eval_target = features.iloc[::3], target.iloc[::3]
    eval_score = estimator.score(eval_features, eval_target)  # a post-training metric
    run = client.get_run(mlflow.last_active_run().info.run_id)
    run_id = run.info.run_id

    assert run.info.status == "FINISHED"
    assert run.info.experiment_id == experiment_id
    assert run.data.tags["mlflow.autologging"] == "sklearn"
    assert run.data.tags["estimator_name"] == "LogisticRegression"
    assert run.data.tags["estimator_class"] == "sklearn.linear_model._logistic.LogisticRegression"
    assert run.data.params == {k: str(v) for k, v in estimator.get_params().items()}
    metrics = run.data.metrics
    assert set(metrics) == TRAINING_METRICS | {"LogisticRegression_score_eval_features"}
    assert metrics["training_accuracy_score"] == pytest.approx(
        accuracy_score(target, estimator.predict(features))
    )
    assert metrics["LogisticRegression_score_eval_features"] == pytest.approx(eval_score)

    [dataset_input] = run.inputs.dataset_inputs
    dataset = dataset_input.dataset
    assert {t.key: t.value for t in dataset_input.tags} == {"mlflow.data.context": "train"}
    assert dataset.source_type == "code"
    assert json.loads(dataset.profile) == {"num_rows": 150, "num_elements": 600}
    columns = [c["name"] for c in json.loads(dataset.schema)["mlflow_colspec"]]
    assert columns == list(features.columns)

    [output] = run.outputs.model_outputs
    model = client.get_logged_model(output.model_id)
    assert (model.name, model.status) == ("model", LoggedModelStatus.READY)
    assert model.source_run_id == run_id
    model_metrics = {m.key: m for m in model.metrics}
    # The post-training score carries the model's id too.
    assert set(model_metrics) == set(metrics)
    accuracy = model_metrics["training_accuracy_score"]
    assert accuracy.value == metrics["training_accuracy_score"]
    assert (accuracy.dataset_name, accuracy.dataset_digest) == (dataset.name, dataset.digest)
    files = {f.path for f in client.list_logged_model_artifacts(model.model_id)}
    assert {"MLmodel", "model.pkl", "requirements.txt"} <= files
    loaded = mlflow.sklearn.load_model(f"runs:/{run_id}/model")
    np.testing.assert_array_equal(loaded.predict(features), estimator.predict(features))

    # metric_info.json says which call produced each post-training metric.
    assert {f.path for f in client.list_artifacts(run_id)} == PLOTS | {"metric_info.json"}
    info = mlflow.artifacts.load_dict(f"runs:/{run_id}/metric_info.json")
    assert "eval_features" in info["LogisticRegression_score_eval_features"]
    png = client.download_artifacts(run_id, "training_confusion_matrix.png", str(tmp_path))
    assert Path(png).read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    html = client.download_artifacts(run_id, "estimator.html", str(tmp_path))
    assert "LogisticRegression" in Path(html).read_text()


def test_autolog_of_a_grid_search(experiment_id, client, autolog):
    features, target = iris()
    autolog(log_models=False)
    search = GridSearchCV(LogisticRegression(max_iter=300), {"C": [0.01, 1.0]}, cv=3)
    search.fit(features, target)
    parent = client.get_run(mlflow.last_active_run().info.run_id)

    assert parent.data.tags["estimator_name"] == "GridSearchCV"
    assert parent.data.params["best_C"] == str(search.best_params_["C"])
    assert parent.data.params["cv"] == "3"
    assert parent.data.metrics["best_cv_score"] == pytest.approx(search.best_score_)
    assert TRAINING_METRICS <= set(parent.data.metrics)
    assert parent.outputs.model_outputs == []  # log_models=False
    artifacts = {f.path for f in client.list_artifacts(parent.info.run_id)}
    assert {"cv_results.csv", "estimator.html", "training_confusion_matrix.png"} <= artifacts

    children = client.search_runs(
        [experiment_id], f"tags.mlflow.parentRunId = '{parent.info.run_id}'"
    )
    assert sorted(c.data.params["C"] for c in children) == ["0.01", "1.0"]
    for child in children:
        assert child.info.status == "FINISHED"
        assert {"mean_test_score", "rank_test_score"} <= set(child.data.metrics)
    best = min(children, key=lambda c: c.data.metrics["rank_test_score"])
    assert best.data.params["C"] == str(search.best_params_["C"])
