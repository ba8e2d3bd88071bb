"""Where the server under test keeps proxied artifacts: a local folder or a bucket on moto's S3.

COMPAT_ARTIFACTS picks it: `local` (default) or `s3`. Only the server process gets S3 settings and
credentials. The MLflow client reaches artifacts through the server's `mlflow-artifacts:` proxy
(MLflow's own server on S3 also hands it presigned URLs, which need no credentials); the test
harness alone opens the bucket, with boto3 and explicit test credentials, to check what landed.
"""

import hashlib
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

MODE = os.environ.get("COMPAT_ARTIFACTS", "local")
if MODE not in ("local", "s3"):
    raise pytest.UsageError(f"COMPAT_ARTIFACTS must be 'local' or 's3', not {MODE!r}")

BUCKET = "compat-artifacts"
PREFIX = "store/artifacts"
# Bytes no artifact route may ever return, list, overwrite or delete: they sit outside the root.
CANARY = b"logbook-compat-canary: this file lies outside the artifact root\n"
CANARY_NAMES = ("canary.txt", "artifacts-sibling/canary.txt")
STARTUP_TIMEOUT_S = 60
# moto accepts any credentials; these are the conventional fake ones, never real ones.
S3_ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
}
# Settings that would let the MLflow client reach S3 itself; the test process must not have them.
CLIENT_FORBIDDEN_ENV = (
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_PROFILE",
    "AWS_ENDPOINT_URL",
    "AWS_ENDPOINT_URL_S3",
    "MLFLOW_S3_ENDPOINT_URL",
)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(proc: subprocess.Popen, url: str, what: str, log: Path) -> None:
    """Waits until `url` answers 200; exits the session with the process output otherwise."""
    import requests

    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    last_error = "no answer"
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            break
        try:
            response = requests.get(url, timeout=2)
            if response.status_code == 200:
                return
            last_error = f"HTTP {response.status_code}"
        except requests.RequestException as error:
            last_error = type(error).__name__
        time.sleep(0.2)  # polling: neither server offers a readiness event to wait on
    stop(proc)
    output = log.read_text(errors="replace")
    pytest.exit(
        f"{what} did not become healthy within {STARTUP_TIMEOUT_S}s "
        f"(exit code {proc.returncode}, last probe: {last_error}).\n"
        f"command: {' '.join(map(str, proc.args))}\n--- output ---\n{output}",
        returncode=1,
    )


def stop(proc: subprocess.Popen) -> None:
    """Stops a process started in its own session and everything it spawned."""
    import signal

    for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, None)):
        try:
            os.killpg(proc.pid, sig)
            proc.wait(timeout=wait)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            pass
    proc.wait()


def moto_missing() -> str | None:
    """Why moto's S3 server cannot run in this venv, or None when it can."""
    try:
        import boto3  # noqa: F401
        import flask  # noqa: F401
        import flask_cors  # noqa: F401
        import moto.server  # noqa: F401
    except ImportError as error:
        fix = "pip install -r test/compat/requirements.txt"
        return f"moto's server is not installed ({error}); {fix}"
    return None


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class ArtifactStorage:
    """The artifact destination of the server under test, readable from the test process."""

    mode: str
    destination: str
    server_env: dict = field(default_factory=dict)
    root: Path | None = None  # local mode: the artifact root folder
    outside: Path | None = None  # local mode: the folder holding the root and the canaries
    endpoint: str | None = None  # s3 mode: moto's URL
    process: subprocess.Popen | None = None
    planted: dict = field(default_factory=dict)  # outside_snapshot() right after planting
    _client: object = None

    def s3(self):
        """A boto3 S3 client for moto, with the test credentials passed explicitly."""
        if self._client is None:
            import boto3

            self._client = boto3.client(
                "s3",
                endpoint_url=self.endpoint,
                aws_access_key_id=S3_ENV["AWS_ACCESS_KEY_ID"],
                aws_secret_access_key=S3_ENV["AWS_SECRET_ACCESS_KEY"],
                region_name=S3_ENV["AWS_DEFAULT_REGION"],
            )
        return self._client

    def _objects_outside(self) -> dict[str, bytes]:
        s3 = self.s3()
        keys = []
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=BUCKET):
            keys += [item["Key"] for item in page.get("Contents", [])]
        outside = [key for key in keys if not key.startswith(f"{PREFIX}/")]
        return {key: s3.get_object(Bucket=BUCKET, Key=key)["Body"].read() for key in outside}

    def files(self, under: str) -> dict[str, int]:
        """Stored files below `under` (relative to the root): relative path -> size in bytes."""
        under = under.strip("/")
        if self.mode == "local":
            base = self.root / under
            found = {}
            for path in base.rglob("*") if base.is_dir() else []:
                if path.is_file():
                    found[path.relative_to(base).as_posix()] = path.stat().st_size
            return found
        prefix = f"{PREFIX}/{under}/"
        found = {}
        for page in self.s3().get_paginator("list_objects_v2").paginate(
            Bucket=BUCKET, Prefix=prefix
        ):
            for item in page.get("Contents", []):
                found[item["Key"][len(prefix) :]] = item["Size"]
        return found

    def read(self, path: str) -> bytes:
        """The stored bytes of one file (path relative to the root)."""
        if self.mode == "local":
            return (self.root / path).read_bytes()
        key = f"{PREFIX}/{path.strip('/')}"
        return self.s3().get_object(Bucket=BUCKET, Key=key)["Body"].read()

    def outside_snapshot(self) -> dict[str, str]:
        """Every file outside the artifact root that a traversal could reach: name -> sha256."""
        if self.mode == "local":
            return {
                path.relative_to(self.outside).as_posix(): _sha256(path.read_bytes())
                for path in self.outside.rglob("*")
                if path.is_file() and self.root not in path.parents
            }
        return {key: _sha256(data) for key, data in self._objects_outside().items()}

    def plant_canaries(self) -> None:
        if self.mode == "local":
            for name in CANARY_NAMES:
                path = self.outside / name
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(CANARY)
            self.planted = self.outside_snapshot()
            return
        s3 = self.s3()
        # Beside the prefix, in a sibling whose name extends it (store/artifacts-sibling/), and
        # at the bucket root.
        for name in CANARY_NAMES:
            s3.put_object(Bucket=BUCKET, Key=f"store/{name}", Body=CANARY)
        s3.put_object(Bucket=BUCKET, Key="canary.txt", Body=CANARY)
        self.planted = self.outside_snapshot()


def open_storage(tmp: Path) -> ArtifactStorage:
    """Prepares the artifact destination (starting moto for s3); `close_storage` undoes it."""
    if MODE == "local":
        outside = tmp / "store"
        root = outside / "artifacts"
        root.mkdir(parents=True)
        storage = ArtifactStorage("local", str(root), root=root, outside=outside)
        storage.plant_canaries()
        return storage
    missing = moto_missing()
    if missing is not None:
        pytest.exit(f"COMPAT_ARTIFACTS=s3: {missing}", returncode=1)
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    log = tmp / "moto.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, **S3_ENV},
            start_new_session=True,
        )
    wait_http(proc, f"{endpoint}/moto-api/", "moto's S3 server", log)
    storage = ArtifactStorage(
        "s3",
        f"s3://{BUCKET}/{PREFIX}",
        server_env={**S3_ENV, "MLFLOW_S3_ENDPOINT_URL": endpoint},
        endpoint=endpoint,
        process=proc,
    )
    try:
        storage.s3().create_bucket(Bucket=BUCKET)
        storage.plant_canaries()
    except BaseException:
        stop(proc)
        raise
    return storage


def close_storage(storage: ArtifactStorage) -> None:
    if storage.process is not None:
        stop(storage.process)
