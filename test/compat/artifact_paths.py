"""The table of hostile artifact paths that test_artifact_path_safety.py sends over raw HTTP.

Paths are written exactly as they go on the wire (percent-escapes included); `{ABS}` becomes the
absolute location of the canary file outside the artifact root. Canaries sit beside the root
(`../canary.txt`) and in a sibling folder whose name extends the root's (`../artifacts-sibling/`).
"""

import http.client
import socket
from dataclasses import dataclass

API = "/api/2.0/mlflow-artifacts"
MPU_BODY = b'{"path": "canary.txt", "num_parts": 1}'

# id -> raw path
PATHS = {
    # `..` segments, plain.
    "dotdot": "../canary.txt",
    "dotdot-alone": "..",
    "dotdot-deep": "a/b/../../../canary.txt",
    "dotdot-sibling": "../artifacts-sibling/canary.txt",
    "dotdot-dot": "./../canary.txt",
    # `..` that stays inside the route: a URL parser that resolves dot segments before the
    # server validates the path turns these into a different, valid-looking path.
    "dotdot-in-route": "0/x/../canary.txt",
    "pct-dots-in-route": "0/x/%2e%2e/canary.txt",
    # Percent-encoded once, twice and three times.
    "pct-dots": "%2e%2e/canary.txt",
    "pct-slash": "..%2fcanary.txt",
    "pct-all": "%2E%2E%2Fcanary.txt",
    "pct2-dots": "%252e%252e/canary.txt",
    "pct2-all": "%252e%252e%252fcanary.txt",
    "pct3-all": "%25252e%25252e%25252fcanary.txt",
    # Backslashes, literal and encoded.
    "backslash": "..\\canary.txt",
    "backslash-pct": "..%5ccanary.txt",
    "backslash-deep": "a\\..\\..\\canary.txt",
    # Absolute paths and URIs.
    "absolute": "{ABS}",
    "absolute-pct": "%2F{ABS_TAIL}",
    "file-uri": "file://{ABS}",
    "drive": "C:/canary.txt",
    # NUL, encoded and literal.
    "nul-pct": "canary.txt%00",
    "nul-dotdot": "..%00/../canary.txt",
    "nul-literal": "a\x00/../../canary.txt",
    # `#`, literal and encoded.
    "hash-literal": "a#/../../canary.txt",
    "hash-pct": "a%23/../../canary.txt",
    "hash-name": "x%23y.txt",
    # `?`, literal and encoded.
    "qmark-literal": "..?/canary.txt",
    "qmark-pct": "..%3F/../canary.txt",
    "qmark-name": "x%3Fy.txt",
}


@dataclass(frozen=True)
class Route:
    method: str
    template: str  # {P} is the raw path
    body: bytes | None = None


ROUTES = {
    "download": Route("GET", f"{API}/artifacts/{{P}}"),
    "download-ajax": Route("GET", "/ajax-api/2.0/mlflow-artifacts/artifacts/{P}"),
    "list": Route("GET", f"{API}/artifacts?path={{P}}"),
    "upload": Route("PUT", f"{API}/artifacts/{{P}}", b"overwritten by a path-traversal test\n"),
    "delete": Route("DELETE", f"{API}/artifacts/{{P}}"),
    "mpu-create": Route("POST", f"{API}/mpu/create/{{P}}", MPU_BODY),
    "presigned": Route("GET", f"{API}/presigned/{{P}}"),
}


def send_raw(port: int, method: str, target: str, body: bytes | None = None) -> tuple[int, bytes]:
    """Sends one request with `target` byte for byte (no normalisation, no escaping at all)."""
    head = [f"{method} {target} HTTP/1.1", f"Host: 127.0.0.1:{port}", "Connection: close"]
    if body is not None:
        head += ["Content-Type: application/json", f"Content-Length: {len(body)}"]
    elif method in ("PUT", "POST"):
        head.append("Content-Length: 0")
    request = ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + (body or b"")
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(request)
        response = http.client.HTTPResponse(sock, method=method)
        try:
            response.begin()
        except (http.client.RemoteDisconnected, ConnectionResetError):
            return 0, b""  # closed without an answer
        return response.status, response.read()


# Names that MLflow's server (on Linux) takes as ordinary file names inside the root: a backslash
# is no separator there, a NUL is escaped to the three characters `%00`, `?` is a name character.
# Logbook refuses them all with 400 `Invalid path` (they cannot round-trip, or mean a separator on
# Windows).
IN_ROOT_NAMES = {"backslash", "backslash-pct", "backslash-deep", "nul-pct", "qmark-name"}


def mlflow_difference(route_id: str, path_id: str, mode: str) -> str | None:
    """Why MLflow's own server does not answer this request with a 4xx (None when it does).

    Checked against mlflow 3.17.2 on a local folder and on S3; in every case its canaries stay
    untouched: the request either refers to a name inside the root or is redirected into it.
    """
    if path_id in IN_ROOT_NAMES:
        if route_id in ("list", "upload", "delete"):
            return "MLflow accepts backslash, NUL and '?' as file-name characters (2xx)"
        if route_id == "mpu-create":
            return (
                "MLflow accepts backslash, NUL and '?' as file-name characters (200 on S3, "
                "501 'multipart not supported' on a local folder)"
            )
        if route_id == "presigned" and mode == "local":
            return "MLflow answers 501 for presigned downloads from a local folder"
        if route_id.startswith("download") and mode == "s3":
            return "MLflow answers 500 for a missing S3 object with such a name"
    if path_id == "qmark-literal" and route_id == "list":
        return "MLflow lists `..?/canary.txt` as a folder inside the root (200, empty)"
    redirected = ("delete", "mpu-create", "presigned")
    if path_id in ("absolute", "absolute-pct") and route_id in redirected:
        return "MLflow answers a doubled slash with a 308 redirect to the merged in-root path"
    return None
