"""A file over 200 MB through the client's proxied multipart upload, verified by sha256.

MLflow's own server offers multipart only for object-store destinations (S3 here): on a local
folder it answers the create call with "multipart upload not supported" and the client falls back
to a single PUT. Logbook supports it on both, with parts sent back to the server itself.
"""

import hashlib
import os
from pathlib import Path

import mlflow
import pytest
from mlflow.store.artifact.artifact_repository_registry import get_artifact_repository
from mlflow.store.artifact.http_artifact_repo import HttpArtifactRepository

from artifact_storage import MODE
from compat_helpers import SERVER, artifact_root

MIB = 1024 * 1024
SIZE = 210 * MIB + 12_345  # over 200 MB, and not a whole number of 10 MiB parts
CHUNK = 10 * MIB  # MLFLOW_MULTIPART_UPLOAD_CHUNK_SIZE's default
PARTS = -(-SIZE // CHUNK)


def write_random_file(path: Path, size: int) -> str:
    """Writes `size` random bytes in 1 MiB chunks; returns their sha256."""
    digest = hashlib.sha256()
    with open(path, "wb") as out:
        left = size
        while left:
            chunk = os.urandom(min(MIB, left))
            digest.update(chunk)
            out.write(chunk)
            left -= len(chunk)
    return digest.hexdigest()


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(MIB):
            digest.update(chunk)
    return digest.hexdigest()


@pytest.fixture
def upload_spy(monkeypatch):
    """Records how the client uploaded: multipart (and the part URLs) or the single-PUT fallback."""
    seen = {"outcome": None, "part_urls": []}
    try_multipart = HttpArtifactRepository._try_multipart_upload
    upload_part = HttpArtifactRepository._upload_part

    def spy_try(self, local_file, artifact_path=None):
        seen["outcome"] = "fallback"  # stays so when the server refuses multipart
        try_multipart(self, local_file, artifact_path)
        seen["outcome"] = "multipart"

    def spy_part(credential, local_file, size, start_byte):
        seen["part_urls"].append(credential.url)
        return upload_part(credential, local_file, size, start_byte)

    monkeypatch.setattr(HttpArtifactRepository, "_try_multipart_upload", spy_try)
    monkeypatch.setattr(HttpArtifactRepository, "_upload_part", staticmethod(spy_part))
    monkeypatch.setenv("MLFLOW_ENABLE_PROXY_MULTIPART_UPLOAD", "true")
    monkeypatch.setenv("MLFLOW_MULTIPART_UPLOAD_MINIMUM_FILE_SIZE", str(100 * MIB))
    return seen


def test_large_file_multipart_upload_round_trips(
    experiment_id, client, tmp_path, upload_spy, artifact_store, tracking_uri
):
    source = tmp_path / "blob.bin"
    expected = write_random_file(source, SIZE)
    with mlflow.start_run() as run:
        mlflow.log_artifact(str(source), artifact_path="big")
    source.unlink()  # keep at most one 210 MB copy on disk at a time
    run_id = run.info.run_id
    stored = artifact_root(client, run_id)
    try:
        if SERVER == "mlflow" and MODE == "local":
            assert upload_spy["outcome"] == "fallback"
            assert upload_spy["part_urls"] == []
        else:
            # No fallback: the server accepted the multipart upload and completed it.
            assert upload_spy["outcome"] == "multipart"
            assert len(upload_spy["part_urls"]) == PARTS
            if SERVER == "logbook":
                # Parts go back through the server, so the client needs no storage access.
                assert all(url.startswith(f"{tracking_uri}/") for url in upload_spy["part_urls"])
        assert [(f.path, f.file_size) for f in client.list_artifacts(run_id, "big")] == [
            ("big/blob.bin", SIZE)
        ]
        assert artifact_store.files(f"{stored}/big") == {"blob.bin": SIZE}
        downloaded = Path(client.download_artifacts(run_id, "big/blob.bin", str(tmp_path / "dl")))
        assert downloaded.stat().st_size == SIZE
        assert sha256_of(downloaded) == expected
        downloaded.unlink()
    finally:
        # Free the server's copy too: three suite runs would otherwise keep 630 MB around.
        get_artifact_repository(client.get_run(run_id).info.artifact_uri).delete_artifacts("big")
    assert artifact_store.files(f"{stored}/big") == {}
