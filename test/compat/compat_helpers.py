"""Small helpers shared by the compatibility tests."""

import os
import uuid
from pathlib import Path

import pytest
from mlflow.exceptions import MlflowException

SERVER = os.environ.get("COMPAT_SERVER", "logbook")

logbook_only = pytest.mark.skipif(
    SERVER == "mlflow", reason="Logbook extension that MLflow's server does not offer"
)


def unique_name(prefix: str) -> str:
    """A name no other test (or earlier run against the same server) uses."""
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def error_code(exc_info: pytest.ExceptionInfo) -> str:
    """The MLflow error code carried by a raised MlflowException."""
    assert isinstance(exc_info.value, MlflowException), exc_info.value
    return exc_info.value.error_code


def artifact_root(client, run_id: str) -> str:
    """A run's artifact folder relative to the server's artifact destination (`E/R/artifacts`)."""
    uri = client.get_run(run_id).info.artifact_uri
    assert uri.startswith("mlflow-artifacts:/"), uri
    return uri[len("mlflow-artifacts:/") :].strip("/")


def write_tree(root: Path, files: dict[str, bytes]) -> None:
    """Writes {relative path: bytes} below `root`."""
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def read_tree(root: Path) -> dict[str, bytes]:
    """Every file below `root` as {relative POSIX path: bytes}."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}
