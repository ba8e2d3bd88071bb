"""Compatibility suite: drives the real `mlflow` Python client against a tracking server.

COMPAT_SERVER picks the server under test: `logbook` (default) or `mlflow` (MLflow's own server,
the reference implementation). COMPAT_BACKEND picks its store: `sqlite` (default) or `postgres`
(COMPAT_PG_URL gives the database URL).
"""

import os
import socket
import subprocess
import sys
import time
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

import mlflow  # noqa: E402
from mlflow import MlflowClient  # noqa: E402

from compat_helpers import unique_name  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
SERVER = os.environ.get("COMPAT_SERVER", "logbook")
BACKEND = os.environ.get("COMPAT_BACKEND", "sqlite")
STARTUP_TIMEOUT_S = 60

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
    return f"compat: server={SERVER} backend={BACKEND}"


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    log = _server_log.get("path")
    if exitstatus != 0 and log is not None and log.exists():
        tail = log.read_text(errors="replace").splitlines()[-60:]
        terminalreporter.section(f"server output (last lines of {log})")
        terminalreporter.write_line("\n".join(tail))


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _backend_uri(tmp: Path, default_db: str) -> str:
    if BACKEND == "sqlite":
        return f"sqlite:///{tmp / default_db}"
    url = os.environ.get("COMPAT_PG_URL")
    if not url:
        raise pytest.UsageError("COMPAT_BACKEND=postgres needs COMPAT_PG_URL")
    return url


def _server_command(tmp: Path, port: int) -> list[str]:
    common = ["--host", "127.0.0.1", "--port", str(port)]
    artifacts = ["--artifacts-destination", str(tmp / "artifacts")]
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


def _wait_healthy(proc: subprocess.Popen, base: str, log: Path) -> None:
    import requests

    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    last_error = "no answer"
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            break
        try:
            response = requests.get(f"{base}/health", timeout=2)
            if response.status_code == 200:
                return
            last_error = f"HTTP {response.status_code}"
        except requests.RequestException as error:
            last_error = type(error).__name__
        time.sleep(0.2)  # polling: a server offers no readiness event to wait on
    _stop(proc)
    output = log.read_text(errors="replace")
    pytest.exit(
        f"{SERVER} server did not become healthy within {STARTUP_TIMEOUT_S}s "
        f"(exit code {proc.returncode}, last probe: {last_error}).\n"
        f"command: {' '.join(proc.args)}\n--- server output ---\n{output}",
        returncode=1,
    )


@pytest.fixture(scope="session")
def tracking_uri(tmp_path_factory):
    """Starts the server under test on a free port with a fresh data folder; yields its URI."""
    tmp = tmp_path_factory.mktemp("server")
    port = _free_port()
    log = tmp / "server.log"
    _server_log["path"] = log
    env = {**os.environ, "NO_COLOR": "1"}
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            _server_command(tmp, port),
            cwd=REPO,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    _wait_healthy(proc, base, log)
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
        _stop(proc)


def _stop(proc: subprocess.Popen) -> None:
    """Stops the server and everything it spawned (uvicorn workers, job runners, tsx -> node)."""
    import signal

    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)
    except ProcessLookupError:
        pass
    except subprocess.TimeoutExpired:
        pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)  # stragglers left in the process group
    except ProcessLookupError:
        pass
    proc.wait()


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
