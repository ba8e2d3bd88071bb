"""The table of bad requests that test_errors.py sends to a run ("the victim") over raw HTTP.

Each must be answered with a 4xx MLflow JSON error ({"error_code", "message"}) and change nothing.
Expected codes are what MLflow's server answers; malformed input may also be MALFORMED_REQUEST.
"""

import json
from dataclasses import dataclass, field

UNKNOWN_RUN = "0123456789abcdef0123456789abcdef"
BAD_INPUT = {"INVALID_PARAMETER_VALUE", "BAD_REQUEST", "MALFORMED_REQUEST"}
NOT_FOUND = {"RESOURCE_DOES_NOT_EXIST"}
JSON = {"Content-Type": "application/json"}


@dataclass
class Case:
    id: str
    method: str
    path: str
    body: object = None  # dict/list -> JSON; str -> sent as is
    headers: dict = field(default_factory=lambda: dict(JSON))
    status: int = 400
    codes: set = field(default_factory=lambda: {"INVALID_PARAMETER_VALUE"})


def post(case_id, path, body, **kwargs) -> Case:
    return Case(case_id, "POST", path, body, **kwargs)


def get(case_id, path, **kwargs) -> Case:
    return Case(case_id, "GET", path, **kwargs)


def metrics(n, key="bm"):
    return [{"key": key, "value": i, "timestamp": 1, "step": i} for i in range(n)]


def params(n, prefix="bp"):
    return [{"key": f"{prefix}{i}", "value": "v"} for i in range(n)]


def cases(r: str) -> list[Case]:
    """All bad requests aimed at run id `r`."""
    param = "runs/log-parameter"
    metric = "runs/log-metric"
    batch = "runs/log-batch"
    plain = json.dumps({"run_id": r, "key": "plain", "value": "v"})
    # fmt: off
    return [
        # Bodies that are not JSON, or not JSON of the right types.
        post("malformed-json", param, '{"run_id": "%s", "key": "a"' % r, codes=BAD_INPUT),
        post("malformed-json-comma", "experiments/create", '{"name": "x",,}', codes=BAD_INPUT),
        post("wrong-type-param-key", param, {"run_id": r, "key": 123, "value": "x"}),
        post("wrong-type-param-value", param, {"run_id": r, "key": "p", "value": 7}),
        post("wrong-type-experiment-name", "experiments/create", {"name": 123}),
        post("wrong-type-step", metric, {"run_id": r, "key": "m", "value": 1, "timestamp": 1, "step": "x"}),
        post("wrong-type-metric-value", metric, {"run_id": r, "key": "m", "value": "abc", "timestamp": 1}),
        post("text-plain-content-type", param, plain, headers={"Content-Type": "text/plain"}),
        post("missing-content-type", param, plain, headers={}),
        # Missing required fields.
        post("missing-metric-timestamp", metric, {"run_id": r, "key": "m", "value": 1.0}),
        post("missing-metric-key", metric, {"run_id": r, "value": 1.0, "timestamp": 1}),
        post("missing-metric-value", metric, {"run_id": r, "key": "m", "timestamp": 1}),
        post("missing-metric-run-id", metric, {"key": "m", "value": 1.0, "timestamp": 1}),
        post("missing-param-key", param, {"run_id": r, "value": "v"}),
        post("empty-param-key", param, {"run_id": r, "key": "", "value": "v"}),
        post("missing-experiment-name", "experiments/create", {}),
        get("missing-run-id-on-get", "runs/get"),
        # Unknown or malformed ids.
        get("unknown-run-get", f"runs/get?run_id={UNKNOWN_RUN}", status=404, codes=NOT_FOUND),
        post("unknown-run-log-param", param, {"run_id": UNKNOWN_RUN, "key": "a", "value": "b"},
             status=404, codes=NOT_FOUND),
        post("unknown-run-log-batch", batch, {"run_id": UNKNOWN_RUN, "params": params(1)},
             status=404, codes=NOT_FOUND),
        get("unknown-experiment", "experiments/get?experiment_id=987654321", status=404,
            codes=NOT_FOUND),
        get("missing-experiment-name-lookup", "experiments/get-by-name?experiment_name=nope-x1y2z3",
            status=404, codes=NOT_FOUND),
        get("non-integer-experiment-id", "experiments/get?experiment_id=abc"),
        # Invalid values and keys.
        post("negative-timestamp", metric, {"run_id": r, "key": "m", "value": 1, "timestamp": -5}),
        post("param-key-too-long", param, {"run_id": r, "key": "k" * 251, "value": "v"}),
        post("metric-key-too-long", metric, {"run_id": r, "key": "k" * 251, "value": 1, "timestamp": 1}),
        post("tag-key-too-long", "runs/set-tag", {"run_id": r, "key": "k" * 251, "value": "v"}),
        post("illegal-param-key", param, {"run_id": r, "key": "a$b", "value": "v"}),
        post("illegal-metric-key", metric, {"run_id": r, "key": "a$b", "value": 1, "timestamp": 1}),
        post("illegal-tag-key", "runs/set-tag", {"run_id": r, "key": "a$b", "value": "v"}),
        post("absolute-path-key", param, {"run_id": r, "key": "/abs", "value": "v"}),
        post("dot-dot-key", param, {"run_id": r, "key": "../up", "value": "v"}),
        post("double-slash-key", param, {"run_id": r, "key": "a//b", "value": "v"}),
        post("changed-param-value", param, {"run_id": r, "key": "alpha", "value": "0.9"}),
        # log-batch limits and all-or-nothing validation.
        post("batch-changed-param", batch, {"run_id": r, "params": [{"key": "alpha", "value": "0.9"}]}),
        post("batch-1001-metrics", batch, {"run_id": r, "metrics": metrics(1001)}),
        post("batch-101-params", batch, {"run_id": r, "params": params(101)}),
        post("batch-101-tags", batch, {"run_id": r, "tags": params(101, "bt")}),
        post("batch-1001-entities", batch, {"run_id": r, "metrics": metrics(950), "params": params(51)}),
        post("batch-duplicate-param-keys", batch,
             {"run_id": r, "params": [{"key": "dup", "value": "1"}, {"key": "dup", "value": "2"}]}),
        post("batch-one-bad-metric-key", batch,
             {"run_id": r, "params": params(1, "fresh"),
              "metrics": [{"key": "ok", "value": 1, "timestamp": 1},
                          {"key": "a$b", "value": 1, "timestamp": 1}]}),
        post("batch-metric-missing-timestamp", batch, {"run_id": r, "metrics": [{"key": "ok", "value": 1}]}),
        post("batch-metrics-not-a-list", batch, {"run_id": r, "metrics": "foo"}),
        # Search arguments.
        post("search-max-results-too-large", "runs/search", {"experiment_ids": ["0"], "max_results": 50001}),
        post("search-bad-page-token", "runs/search", {"experiment_ids": ["0"], "page_token": "garbage!!"}),
        post("search-unquoted-string", "runs/search", {"experiment_ids": ["0"], "filter": "params.p = x"}),
    ]
    # fmt: on
