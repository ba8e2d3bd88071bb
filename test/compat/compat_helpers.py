"""Small helpers shared by the compatibility tests."""

import os
import uuid

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
