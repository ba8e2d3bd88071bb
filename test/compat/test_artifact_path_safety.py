"""Hostile paths on the artifact routes, over raw HTTP: every answer is a 4xx, and the canary files
planted outside the artifact root are never read, listed, written or deleted."""

import pytest

from artifact_paths import PATHS, ROUTES, mlflow_difference, send_raw
from artifact_storage import CANARY, MODE, PREFIX


def cases():
    for route_id in ROUTES:
        for path_id in PATHS:
            reason = mlflow_difference(route_id, path_id, MODE)
            marks = [] if reason is None else [pytest.mark.differs_from_mlflow(reason=reason)]
            yield pytest.param(route_id, path_id, marks=marks, id=f"{route_id}-{path_id}")


def substitute(raw: str, artifact_store) -> str:
    if MODE == "local":
        absolute = (artifact_store.outside / "canary.txt").as_posix()
    else:
        absolute = f"/{PREFIX.rsplit('/', 1)[0]}/canary.txt"
    return raw.replace("{ABS}", absolute).replace("{ABS_TAIL}", absolute.lstrip("/"))


@pytest.fixture(scope="module")
def port(tracking_uri):
    return int(tracking_uri.rsplit(":", 1)[1])


@pytest.fixture(scope="module")
def canaries(artifact_store):
    assert artifact_store.planted, "no canaries were planted"
    return artifact_store.planted


def test_raw_requests_reach_the_artifact_routes(port):
    """The raw client works: a safe path is written, read, listed and deleted."""
    put = ROUTES["upload"]
    assert send_raw(port, "PUT", put.template.replace("{P}", "0/raw/ok.txt"), b"ok")[0] == 200
    status, body = send_raw(port, "GET", ROUTES["download"].template.replace("{P}", "0/raw/ok.txt"))
    assert (status, body) == (200, b"ok")
    status, body = send_raw(port, "GET", ROUTES["list"].template.replace("{P}", "0/raw"))
    assert status == 200 and b"ok.txt" in body
    delete = ROUTES["delete"].template.replace("{P}", "0/raw/ok.txt")
    assert send_raw(port, "DELETE", delete)[0] == 200


@pytest.fixture(scope="module")
def answers():
    """Every (case, status, body) the hostile requests got, for the final canary check."""
    return []


@pytest.mark.parametrize(("route_id", "path_id"), cases())
def test_hostile_path_is_refused(port, artifact_store, canaries, answers, route_id, path_id):
    route = ROUTES[route_id]
    target = route.template.replace("{P}", substitute(PATHS[path_id], artifact_store))
    status, body = send_raw(port, route.method, target, route.body)
    answers.append((f"{route_id}-{path_id}", status, body))
    assert CANARY.strip() not in body
    assert artifact_store.outside_snapshot() == canaries
    assert 400 <= status < 500, (status, body[:300])


def test_canaries_survived_every_hostile_request(artifact_store, canaries, answers):
    """Not marked: where MLflow answers 2xx/3xx/5xx above, its canaries must still be safe."""
    if not answers:
        pytest.skip("no hostile request ran")
    assert [case for case, _, body in answers if CANARY.strip() in body] == []
    assert artifact_store.outside_snapshot() == canaries
