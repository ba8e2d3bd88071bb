"""Run artifacts through the server's `mlflow-artifacts:` proxy: upload, list, download, delete.

Every test also checks what the server really stored (the folder, or the S3 bucket under the
destination's prefix) where that says something the client's view cannot.
"""

import json
import os
from pathlib import Path

import mlflow
import pandas as pd
import pytest
import requests
import yaml
from mlflow.exceptions import MlflowException
from mlflow.store.artifact.artifact_repository_registry import get_artifact_repository

from artifact_storage import BUCKET, MODE, PREFIX
from compat_helpers import artifact_root, read_tree, write_tree

TREE = {
    "top.txt": b"top level\n",
    "data.bin": bytes(range(256)) * 40,
    "a/one.json": b'{"one": 1}',
    "a/b/two.csv": b"x,y\n1,2\n",
    "a/b/c/three.bin": os.urandom(70_000),
    "empty.txt": b"",
}


@pytest.fixture
def run_id(experiment_id):
    with mlflow.start_run() as run:
        yield run.info.run_id


def test_artifact_uris_point_at_the_proxy(experiment_id, client):
    experiment = client.get_experiment(experiment_id)
    assert experiment.artifact_location == f"mlflow-artifacts:/{experiment_id}"
    with mlflow.start_run() as run:
        pass
    assert run.info.artifact_uri == (
        f"mlflow-artifacts:/{experiment_id}/{run.info.run_id}/artifacts"
    )


def test_log_artifact_to_root_and_sub_folder(run_id, client, tmp_path, artifact_store):
    payload = os.urandom(123_457)
    source = tmp_path / "payload.bin"
    source.write_bytes(payload)
    mlflow.log_artifact(str(source))
    mlflow.log_artifact(str(source), artifact_path="deep/er")

    root = [(f.path, f.is_dir, f.file_size) for f in client.list_artifacts(run_id)]
    assert root == [("deep", True, None), ("payload.bin", False, len(payload))]
    assert [(f.path, f.is_dir) for f in client.list_artifacts(run_id, "deep")] == [
        ("deep/er", True)
    ]
    assert [(f.path, f.file_size) for f in client.list_artifacts(run_id, "deep/er")] == [
        ("deep/er/payload.bin", len(payload))
    ]
    downloaded = client.download_artifacts(run_id, "deep/er/payload.bin", str(tmp_path / "dl"))
    assert Path(downloaded).read_bytes() == payload
    # What the server stored, under <experiment>/<run>/artifacts/ of its destination.
    stored = artifact_root(client, run_id)
    assert artifact_store.files(stored) == {
        "payload.bin": len(payload),
        "deep/er/payload.bin": len(payload),
    }
    assert artifact_store.read(f"{stored}/deep/er/payload.bin") == payload


def test_log_artifacts_keeps_nested_folders(run_id, client, tmp_path, artifact_store):
    write_tree(tmp_path / "src", TREE)
    mlflow.log_artifacts(str(tmp_path / "src"), artifact_path="tree")

    listing = {f.path: (f.is_dir, f.file_size) for f in client.list_artifacts(run_id, "tree")}
    # MLflow's server omits a zero file_size (a proto3 default), so the client reads None.
    assert listing.pop("tree/empty.txt") in ((False, 0), (False, None))
    assert listing == {
        "tree/a": (True, None),
        "tree/data.bin": (False, len(TREE["data.bin"])),
        "tree/top.txt": (False, len(TREE["top.txt"])),
    }
    assert [f.path for f in client.list_artifacts(run_id, "tree/a")] == [
        "tree/a/b",
        "tree/a/one.json",
    ]
    assert [f.path for f in client.list_artifacts(run_id, "tree/a/b")] == [
        "tree/a/b/c",
        "tree/a/b/two.csv",
    ]
    deepest = mlflow.artifacts.list_artifacts(run_id=run_id, artifact_path="tree/a/b/c")
    assert [f.path for f in deepest] == ["tree/a/b/c/three.bin"]
    stored = artifact_root(client, run_id)
    assert artifact_store.files(f"{stored}/tree") == {k: len(v) for k, v in TREE.items()}


def test_download_a_folder_and_the_whole_run(run_id, client, tmp_path):
    write_tree(tmp_path / "src", TREE)
    mlflow.log_artifacts(str(tmp_path / "src"), artifact_path="tree")
    mlflow.log_text("beside", "beside.txt")

    folder = mlflow.artifacts.download_artifacts(
        run_id=run_id, artifact_path="tree/a", dst_path=str(tmp_path / "folder")
    )
    assert read_tree(Path(folder)) == {k[2:]: v for k, v in TREE.items() if k.startswith("a/")}
    everything = client.download_artifacts(run_id, "", str(tmp_path / "all"))
    expected = {f"tree/{k}": v for k, v in TREE.items()} | {"beside.txt": b"beside"}
    assert read_tree(Path(everything)) == expected
    by_uri = mlflow.artifacts.download_artifacts(
        artifact_uri=f"runs:/{run_id}/tree/a/b/c/three.bin", dst_path=str(tmp_path / "uri")
    )
    assert Path(by_uri).read_bytes() == TREE["a/b/c/three.bin"]


def test_log_dict_as_json_and_yaml(run_id, client, tmp_path):
    data = {"name": "compat", "layers": [64, 32], "nested": {"lr": 0.5, "ok": True}, "none": None}
    mlflow.log_dict(data, "config/settings.json")
    mlflow.log_dict(data, "config/settings.yaml")
    mlflow.log_dict(data, "config/settings.yml")

    assert mlflow.artifacts.load_dict(f"runs:/{run_id}/config/settings.json") == data
    folder = Path(client.download_artifacts(run_id, "config", str(tmp_path)))
    assert json.loads((folder / "settings.json").read_text()) == data
    assert yaml.safe_load((folder / "settings.yaml").read_text()) == data
    assert yaml.safe_load((folder / "settings.yml").read_text()) == data


def test_log_text_round_trips_unicode(run_id):
    text = "première ligne\nzweite Zeile — ✓ 名前\n\ttabbed\n"
    mlflow.log_text(text, "notes/readme.md")
    mlflow.log_text("", "notes/empty.txt")
    assert mlflow.artifacts.load_text(f"runs:/{run_id}/notes/readme.md") == text
    assert mlflow.artifacts.load_text(f"runs:/{run_id}/notes/empty.txt") == ""


def test_log_figure_stores_a_png(run_id, client, tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(2, 2))
    axes.plot([0, 1, 2], [2, 0, 1])
    try:
        mlflow.log_figure(figure, "plots/line.png")
    finally:
        plt.close(figure)
    [entry] = client.list_artifacts(run_id, "plots")
    assert entry.path == "plots/line.png" and entry.file_size > 1000
    png = Path(client.download_artifacts(run_id, "plots/line.png", str(tmp_path))).read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(png) == entry.file_size


def test_log_table_appends_and_loads(run_id, client):
    first = pd.DataFrame({"x": [1, 2], "label": ["a", "b"], "score": [0.5, 0.25]})
    second = pd.DataFrame({"x": [3], "label": ["c"], "score": [0.125]})
    mlflow.log_table(first, "tables/predictions.json")
    mlflow.log_table(second, "tables/predictions.json")  # appends to the stored table

    loaded = mlflow.load_table("tables/predictions.json", run_ids=[run_id])
    expected = pd.concat([first, second], ignore_index=True)
    pd.testing.assert_frame_equal(loaded.reset_index(drop=True), expected, check_dtype=False)
    mlflow.log_table({"k": ["v"]}, "root-table.json")
    tag = json.loads(client.get_run(run_id).data.tags["mlflow.loggedArtifacts"])
    assert sorted(tag, key=lambda t: t["path"]) == [
        {"path": "root-table.json", "type": "table"},
        {"path": "tables/predictions.json", "type": "table"},
    ]


def test_listing_a_file_or_a_missing_folder_is_empty(run_id, client):
    mlflow.log_text("x", "only/file.txt")
    assert client.list_artifacts(run_id, "only/file.txt") == []
    assert client.list_artifacts(run_id, "no/such/folder") == []


def test_download_of_a_missing_artifact_fails(run_id, client, tmp_path):
    mlflow.log_text("x", "present.txt")
    with pytest.raises(MlflowException):
        client.download_artifacts(run_id, "absent.txt", str(tmp_path))


def test_file_names_with_spaces_plus_and_unicode(run_id, client, tmp_path):
    names = ["with space.txt", "plus+sign.txt", "ünï-名前.txt", "dots.in.name.v2.txt"]
    for i, name in enumerate(names):
        mlflow.log_text(f"content {i}", f"odd names/{name}")
    listed = [f.path for f in client.list_artifacts(run_id, "odd names")]
    assert listed == sorted(f"odd names/{n}" for n in names)
    for i, name in enumerate(names):
        path = client.download_artifacts(run_id, f"odd names/{name}", str(tmp_path / str(i)))
        assert Path(path).read_text() == f"content {i}"


def test_overwriting_an_artifact_replaces_its_bytes(run_id, client, tmp_path):
    mlflow.log_text("first version, longer", "same.txt")
    mlflow.log_text("second", "same.txt")
    assert mlflow.artifacts.load_text(f"runs:/{run_id}/same.txt") == "second"
    [entry] = client.list_artifacts(run_id)
    assert entry.file_size == len("second")


def test_delete_a_file_and_a_folder(run_id, client, tmp_path, artifact_store):
    write_tree(tmp_path / "src", TREE)
    mlflow.log_artifacts(str(tmp_path / "src"))
    repo = get_artifact_repository(client.get_run(run_id).info.artifact_uri)
    repo.delete_artifacts("top.txt")
    repo.delete_artifacts("a")
    repo.delete_artifacts("never/existed")  # deleting a missing path is not an error
    assert [f.path for f in client.list_artifacts(run_id)] == ["data.bin", "empty.txt"]
    assert sorted(artifact_store.files(artifact_root(client, run_id))) == ["data.bin", "empty.txt"]


@pytest.mark.parametrize(
    ("name", "mime"),
    [
        ("notes.txt", "text/plain"),
        ("conf.yaml", "text/plain"),
        ("values.json", "text/plain"),
        ("MLmodel", "text/plain"),
        ("image.png", "image/png"),
        ("blob.unknownext", "application/octet-stream"),
    ],
)
def test_download_headers(run_id, client, tracking_uri, name, mime):
    mlflow.log_text("body", name)
    stored = artifact_root(client, run_id)
    url = f"{tracking_uri}/api/2.0/mlflow-artifacts/artifacts/{stored}/{name}"
    response = requests.get(url, headers={"Accept": "text/html"}, timeout=30)
    assert response.status_code == 200
    assert response.content == b"body"
    assert response.headers["Content-Type"] == mime
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert name in response.headers["Content-Disposition"]
    assert response.headers["Content-Disposition"].startswith("attachment")


def test_nothing_lands_outside_the_artifact_root(run_id, tmp_path, artifact_store):
    write_tree(tmp_path / "src", TREE)
    mlflow.log_artifacts(str(tmp_path / "src"), artifact_path="tree")
    # Only the canaries planted at startup live beside the root (or outside the S3 prefix).
    assert artifact_store.outside_snapshot() == artifact_store.planted


@pytest.mark.skipif(MODE != "s3", reason="looks into the S3 bucket")
def test_objects_land_in_the_bucket_under_the_prefix(run_id, client, artifact_store):
    mlflow.log_text("in the bucket", "s3/check.txt")
    s3 = artifact_store.s3()
    folder = f"{PREFIX}/{artifact_root(client, run_id)}"
    listed = s3.list_objects_v2(Bucket=BUCKET, Prefix=f"{folder}/")
    assert [item["Key"] for item in listed["Contents"]] == [f"{folder}/s3/check.txt"]
    body = s3.get_object(Bucket=BUCKET, Key=f"{folder}/s3/check.txt")["Body"].read()
    assert body == b"in the bucket"
