"""Authentication and permissions with the real MLflow client against `logbook server --auth`.

The server under test is started here with `--auth --default-permission NO_PERMISSIONS` on the
same kind of backend as the rest of the run. Shown: logging with MLFLOW_TRACKING_USERNAME/PASSWORD
and with MLFLOW_TRACKING_TOKEN, MLflow's own AuthServiceClient (get_app_client("basic-auth"))
creating a user and granting a permission, 403 PERMISSION_DENIED for the other user, 401 without
credentials.
"""

import os
import subprocess
import sys
import types
from pathlib import Path

import mlflow
import pytest
import requests
from mlflow import MlflowClient
from mlflow.exceptions import MlflowException, RestException
import mlflow.server

from artifact_storage import free_port, stop, wait_http
from compat_helpers import unique_name
from conftest import REPO, SERVER, _backend_uri

ADMIN = ("admin", "compat-admin-password")
CREDENTIAL_ENV = ("MLFLOW_TRACKING_USERNAME", "MLFLOW_TRACKING_PASSWORD", "MLFLOW_TRACKING_TOKEN")

pytestmark = pytest.mark.skipif(SERVER != "logbook", reason="starts logbook server --auth itself")


def get_app_client(app_name, tracking_uri):
    """MLflow's `mlflow.server.get_app_client`, unchanged when mlflow[auth] is installed.

    `mlflow.server.auth/__init__.py` is the *server* plugin and imports Flask-WTF (mlflow[auth]),
    which this venv does not carry; the client module does not need it. Without Flask-WTF the same,
    unmodified AuthServiceClient class is loaded without running that package __init__.
    """
    try:
        return mlflow.server.get_app_client(app_name, tracking_uri=tracking_uri)
    except ImportError:
        package = types.ModuleType("mlflow.server.auth")
        package.__path__ = [str(Path(mlflow.server.__file__).parent / "auth")]
        sys.modules["mlflow.server.auth"] = package
        from mlflow.server.auth.client import AuthServiceClient

        return AuthServiceClient(tracking_uri)


@pytest.fixture(scope="module")
def auth_uri(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("auth-server")
    port = free_port()
    log = tmp / "server.log"
    tsx = str(REPO / "node_modules" / ".bin" / "tsx")
    command = [
        tsx, "packages/cli/src/main.ts", "server", "--host", "127.0.0.1", "--port", str(port),
        "--backend-store-uri", _backend_uri(tmp, "auth.db"),
        "--artifacts-destination", str(tmp / "artifacts"),
        "--auth", "--default-permission", "NO_PERMISSIONS",
    ]
    env = {**os.environ, "LOGBOOK_ADMIN_PASSWORD": ADMIN[1], "NO_COLOR": "1"}
    with open(log, "wb") as out:
        proc = subprocess.Popen(command, cwd=REPO, stdin=subprocess.DEVNULL, stdout=out,
                                stderr=subprocess.STDOUT, env=env, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_http(proc, f"{base}/health", "logbook --auth server", log)
        yield base
    finally:
        stop(proc)


@pytest.fixture
def as_user(monkeypatch, auth_uri):
    """Switch the MLflow client's credentials: as_user(username=..., password=...) or (token=...)."""
    previous = mlflow.get_tracking_uri()

    def switch(username=None, password=None, token=None):
        for name in CREDENTIAL_ENV:
            monkeypatch.delenv(name, raising=False)
        if username is not None:
            monkeypatch.setenv("MLFLOW_TRACKING_USERNAME", username)
            monkeypatch.setenv("MLFLOW_TRACKING_PASSWORD", password)
        if token is not None:
            monkeypatch.setenv("MLFLOW_TRACKING_TOKEN", token)
        mlflow.set_tracking_uri(auth_uri)
        return MlflowClient(tracking_uri=auth_uri)

    yield switch
    mlflow.set_tracking_uri(previous)


def _log_a_run(tmp_path, name):
    mlflow.set_experiment(name)
    artifact = tmp_path / "notes.txt"
    artifact.write_text("hello")
    with mlflow.start_run() as run:
        mlflow.log_param("lr", "0.01")
        for step in range(3):
            mlflow.log_metric("loss", 1.0 / (step + 1), step=step)
        mlflow.log_artifact(str(artifact))
    return run.info.run_id


def test_client_logs_with_basic_auth(as_user, tmp_path):
    client = as_user(*ADMIN)
    run_id = _log_a_run(tmp_path, unique_name("basic"))
    run = client.get_run(run_id)
    assert run.data.params == {"lr": "0.01"}
    assert [m.value for m in client.get_metric_history(run_id, "loss")] == [1.0, 0.5, 1.0 / 3]
    assert [f.path for f in client.list_artifacts(run_id)] == ["notes.txt"]


def test_client_logs_with_a_token_until_it_is_revoked(as_user, auth_uri, tmp_path):
    made = requests.post(f"{auth_uri}/api/2.0/logbook/tokens/create", json={"name": "compat"}, auth=ADMIN, timeout=30)
    assert made.status_code == 200, made.text
    token = made.json()["token"]
    client = as_user(token=token)
    run_id = _log_a_run(tmp_path, unique_name("token"))
    assert client.get_run(run_id).data.metrics == {"loss": 1.0 / 3}
    revoked = requests.post(f"{auth_uri}/api/2.0/logbook/tokens/revoke",
                            json={"id": made.json()["token_info"]["id"]}, auth=ADMIN, timeout=30)
    assert revoked.status_code == 200
    with pytest.raises(RestException) as e:
        client.get_run(run_id)
    assert e.value.error_code == "UNAUTHENTICATED"


def test_auth_client_grants_and_the_other_user_is_refused(as_user, auth_uri):
    admin = as_user(*ADMIN)
    auth = get_app_client("basic-auth", tracking_uri=auth_uri)
    username, password = unique_name("alice"), "alice-password-1"
    user = auth.create_user(username, password)
    assert user.username == username and not user.is_admin
    assert auth.get_user(username).username == username
    shared = admin.create_experiment(unique_name("shared"))
    private = admin.create_experiment(unique_name("private"))
    admin_run = admin.create_run(shared).info.run_id
    auth.grant_user_permission(username, "experiment", shared, "READ")
    assert auth.get_user_permission(username, "experiment", shared).permission == "READ"
    # The legacy per-resource route answers the same grant.
    legacy = requests.get(f"{auth_uri}/api/2.0/mlflow/experiments/permissions/get",
                          params={"experiment_id": shared, "username": username}, auth=ADMIN, timeout=30)
    assert legacy.json()["experiment_permission"]["permission"] == "READ"

    alice = as_user(username, password)
    assert alice.get_experiment(shared).experiment_id == shared
    assert alice.get_run(admin_run).info.run_id == admin_run
    assert {e.experiment_id for e in alice.search_experiments()} == {shared}
    for attempt in (lambda: alice.create_run(shared), lambda: alice.get_experiment(private),
                    lambda: alice.log_metric(admin_run, "x", 1.0),
                    lambda: alice.delete_experiment(shared)):
        with pytest.raises(RestException) as e:
            attempt()
        assert e.value.error_code == "PERMISSION_DENIED"
    # Users cannot make themselves admins or create users.
    with pytest.raises(MlflowException):
        get_app_client("basic-auth", tracking_uri=auth_uri).update_user_admin(username, True)

    anonymous = as_user()
    with pytest.raises(RestException) as e:
        anonymous.get_experiment(shared)
    assert e.value.error_code == "UNAUTHENTICATED"

    as_user(*ADMIN)
    auth.grant_user_permission(username, "experiment", shared, "EDIT")
    alice = as_user(username, password)
    assert alice.create_run(shared).info.experiment_id == shared
    as_user(*ADMIN)
    auth.update_user_password(username, "alice-password-2")
    auth.delete_user(username)
    with pytest.raises(RestException) as e:
        auth.get_user(username)
    assert e.value.error_code == "RESOURCE_DOES_NOT_EXIST"


def test_proxied_multipart_upload_with_auth(as_user, monkeypatch, tmp_path):
    # The client PUTs parts with only the headers mpu/create returned (as to presigned URLs).
    monkeypatch.setenv("MLFLOW_ENABLE_PROXY_MULTIPART_UPLOAD", "true")
    monkeypatch.setenv("MLFLOW_MULTIPART_UPLOAD_MINIMUM_FILE_SIZE", str(1024 * 1024))
    monkeypatch.setenv("MLFLOW_MULTIPART_UPLOAD_CHUNK_SIZE", str(1024 * 1024))
    from mlflow.store.artifact.http_artifact_repo import HttpArtifactRepository

    parts = []
    upload_part = HttpArtifactRepository._upload_part

    def spy(credential, local_file, size, start_byte):
        parts.append(credential.url)
        return upload_part(credential, local_file, size, start_byte)

    monkeypatch.setattr(HttpArtifactRepository, "_upload_part", staticmethod(spy))
    client = as_user(*ADMIN)
    source = tmp_path / "blob.bin"
    data = os.urandom(2 * 1024 * 1024 + 123)
    source.write_bytes(data)
    mlflow.set_experiment(unique_name("multipart"))
    with mlflow.start_run() as run:
        mlflow.log_artifact(str(source), artifact_path="big")
    downloaded = client.download_artifacts(run.info.run_id, "big/blob.bin", str(tmp_path / "dl"))
    assert Path(downloaded).read_bytes() == data
    assert len(parts) == 3  # multipart through the server, not the single-PUT fallback


def test_foreign_host_and_origin_are_refused(auth_uri):
    host = requests.get(f"{auth_uri}/api/2.0/mlflow/experiments/search", headers={"Host": "evil.example"},
                        auth=ADMIN, timeout=30)
    assert host.status_code == 403
    origin = requests.post(f"{auth_uri}/api/2.0/mlflow/experiments/create", json={"name": unique_name("csrf")},
                           headers={"Origin": "http://evil.example"}, auth=ADMIN, timeout=30)
    assert origin.status_code == 403
