"""Compatibility suite: drives the real `mlflow` Python client against a tracking server.

COMPAT_SERVER picks the server under test: `logbook` (default) or `mlflow` (MLflow's own server,
the reference implementation). COMPAT_BACKEND picks its store: `sqlite` (default) or `postgres`
(COMPAT_PG_URL gives the database URL). COMPAT_ARTIFACTS picks where it stores artifacts: `local`
(default) or `s3` (a bucket on moto's S3 server; see artifact_storage.py).
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

# Set before mlflow is imported anywhere: a 5xx must surface at once instead of being retried with
# exponential backoff for minutes, and nothing may try to phone home from this offline machine.
os.environ["MLFLOW_HTTP_REQUEST_MAX_RETRIES"] = "0"
os.environ["MLFLOW_HTTP_REQUEST_TIMEOUT"] = "30"
os.environ["MLFLOW_DISABLE_TELEMETRY"] = "true"
os.environ["DO_NOT_TRACK"] = "true"
os.environ["MLFLOW_SUPPRESS_PRINTING_URL_TO_STDOUT"] = "true"
os.environ["GIT_PYTHON_REFRESH"] = "quiet"
# matplotlib (log_figure, autolog's plots) must not look for a display.
os.environ["MPLBACKEND"] = "Agg"

import mlflow  # noqa: E402
from mlflow import MlflowClient  # noqa: E402

import artifact_storage  # noqa: E402
from artifact_storage import free_port, stop, wait_http  # noqa: E402
from compat_helpers import unique_name  # noqa: E402

# The client gets no S3 settings or credentials: it reaches artifacts through the server's
# `mlflow-artifacts:` proxy (MLflow's own server on S3 also hands it presigned URLs).
for _name in artifact_storage.CLIENT_FORBIDDEN_ENV:
    os.environ.pop(_name, None)

REPO = Path(__file__).resolve().parents[2]
SERVER = os.environ.get("COMPAT_SERVER", "logbook")
BACKEND = os.environ.get("COMPAT_BACKEND", "sqlite")

if SERVER not in ("logbook", "mlflow"):
    raise pytest.UsageError(f"COMPAT_SERVER must be 'logbook' or 'mlflow', not {SERVER!r}")
if BACKEND not in ("sqlite", "postgres"):
    raise pytest.UsageError(f"COMPAT_BACKEND must be 'sqlite' or 'postgres', not {BACKEND!r}")

_server_log: dict[str, Path] = {}


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "differs_from_mlflow(reason): Logbook deliberately differs from MLflow's server here; "
        "against COMPAT_SERVER=mlflow the test is a strict xfail that documents the difference",
    )


def pytest_collection_modifyitems(config, items):
    if SERVER != "mlflow":
        return
    for item in items:
        marker = item.get_closest_marker("differs_from_mlflow")
        if marker is not None:
            reason = marker.kwargs.get("reason") or (marker.args[0] if marker.args else "")
            item.add_marker(pytest.mark.xfail(strict=True, reason=f"MLflow differs: {reason}"))


def pytest_report_header(config):
    return f"compat: server={SERVER} backend={BACKEND} artifacts={artifact_storage.MODE}"


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    log = _server_log.get("path")
    if exitstatus != 0 and log is not None and log.exists():
        tail = log.read_text(errors="replace").splitlines()[-60:]
        terminalreporter.section(f"server output (last lines of {log})")
        terminalreporter.write_line("\n".join(tail))


def _backend_uri(tmp: Path, default_db: str) -> str:
    if BACKEND == "sqlite":
        return f"sqlite:///{tmp / default_db}"
    url = os.environ.get("COMPAT_PG_URL")
    if not url:
        raise pytest.UsageError("COMPAT_BACKEND=postgres needs COMPAT_PG_URL")
    return url


def _server_command(tmp: Path, port: int, destination: str) -> list[str]:
    common = ["--host", "127.0.0.1", "--port", str(port)]
    artifacts = ["--artifacts-destination", destination]
    if SERVER == "logbook":
        tsx = str(REPO / "node_modules" / ".bin" / "tsx")
        uri = _backend_uri(tmp, "logbook.db")
        main = "packages/cli/src/main.ts"
        return [tsx, main, "server", *common, "--backend-store-uri", uri, *artifacts]
    mlflow_bin = str(Path(sys.executable).parent / "mlflow")
    uri = _backend_uri(tmp, "mlflow.db")
    # MLflow's default PostgreSQL driver is psycopg 3; requirements.txt ships psycopg2-binary.
    uri = uri.replace("postgresql://", "postgresql+psycopg2://", 1)
    return [mlflow_bin, "server", *common, "--backend-store-uri", uri, *artifacts, "--workers", "1"]


@pytest.fixture(scope="session")
def artifact_store(tmp_path_factory) -> artifact_storage.ArtifactStorage:
    """The server's artifact destination (a folder, or a bucket on a moto S3 server)."""
    storage = artifact_storage.open_storage(tmp_path_factory.mktemp("artifacts"))
    try:
        yield storage
    finally:
        artifact_storage.close_storage(storage)


@pytest.fixture(scope="session")
def tracking_uri(tmp_path_factory, artifact_store):
    """Starts the server under test on a free port with a fresh data folder; yields its URI."""
    tmp = tmp_path_factory.mktemp("server")
    port = free_port()
    log = tmp / "server.log"
    _server_log["path"] = log
    env = {**os.environ, **artifact_store.server_env, "NO_COLOR": "1"}
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            _server_command(tmp, port, artifact_store.destination),
            cwd=REPO,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    wait_http(proc, f"{base}/health", f"{SERVER} server", log)
    previous = os.environ.get("MLFLOW_TRACKING_URI")
    os.environ["MLFLOW_TRACKING_URI"] = base
    mlflow.set_tracking_uri(base)
    try:
        yield base
    finally:
        if previous is None:
            os.environ.pop("MLFLOW_TRACKING_URI", None)
        else:
            os.environ["MLFLOW_TRACKING_URI"] = previous
        stop(proc)  # with everything it spawned (uvicorn workers, job runners, tsx -> node)


@pytest.fixture(scope="session")
def client(tracking_uri) -> MlflowClient:
    return MlflowClient(tracking_uri=tracking_uri)


@pytest.fixture(autouse=True)
def _no_active_run(tracking_uri):
    """Every test starts and ends without an active fluent run, even when it fails midway."""
    while mlflow.active_run() is not None:
        mlflow.end_run()
    yield
    while mlflow.active_run() is not None:
        mlflow.end_run()


@pytest.fixture
def experiment_id(request, tracking_uri) -> str:
    """A fresh experiment, made the active one for the fluent API."""
    experiment = mlflow.set_experiment(unique_name(request.node.name[:60]))
    return experiment.experiment_id
