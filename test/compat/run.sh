#!/usr/bin/env bash
# Runs the MLflow-client compatibility suite against Logbook three times: SQLite + local artifacts,
# PostgreSQL + local artifacts, SQLite + S3 artifacts (a bucket on moto's S3 server).
#   COMPAT_SERVER=mlflow bash test/compat/run.sh   runs it against MLflow's own server instead.
# Extra arguments go to pytest. A missing Python venv, PostgreSQL or moto skips loudly, or fails
# under LOGBOOK_REQUIRE_ALL=1. One combination alone: COMPAT_BACKEND=... COMPAT_ARTIFACTS=...
# .venv/bin/python -m pytest test/compat
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
PY="$ROOT/.venv/bin/python"
# Not npx: that would try to download tsx from the registry when node_modules is missing.
TSX="$ROOT/node_modules/.bin/tsx"

missing() {
  local what="$1" fix="$2"
  if [ "${LOGBOOK_REQUIRE_ALL:-}" = "1" ]; then
    echo "compat: FAILED: $what is missing ($fix); LOGBOOK_REQUIRE_ALL=1 forbids skipping" >&2
    return 1
  fi
  echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!" >&2
  echo "!! compat: SKIPPED: $what is missing ($fix)" >&2
  echo "!! Set LOGBOOK_REQUIRE_ALL=1 to make this a failure." >&2
  echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!" >&2
  return 0
}

if [ ! -x "$PY" ] || ! "$PY" -c 'import mlflow, pytest' 2>/dev/null; then
  missing "the Python venv with mlflow (.venv)" "run: npm test, or python3 -m venv .venv && .venv/bin/pip install -r test/compat/requirements.txt"
  exit $?
fi

if [ ! -x "$TSX" ]; then
  echo "compat: FAILED: $TSX is missing: run npm ci (or npm install) first" >&2
  exit 1
fi

STATE=""
cleanup() {
  if [ -n "$STATE" ]; then
    "$TSX" scripts/pg-cluster.ts stop "$STATE" || true
    rm -rf "$STATE"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

declare -a RESULTS=()
STATUS=0

run_suite() {
  local backend="$1" artifacts="$2"
  shift 2
  local label="$backend + $artifacts artifacts" started=$SECONDS
  echo "=== compat: server=${COMPAT_SERVER:-logbook} backend=$backend artifacts=$artifacts ==="
  COMPAT_BACKEND="$backend" COMPAT_ARTIFACTS="$artifacts" "$PY" -m pytest test/compat "$@"
  local rc=$?
  if [ "$rc" -eq 0 ]; then
    RESULTS+=("$label: passed ($((SECONDS - started))s)")
  else
    RESULTS+=("$label: FAILED (pytest exit $rc, $((SECONDS - started))s)")
    STATUS=1
  fi
}

skipped() {
  local label="$1" what="$2" fix="$3"
  if missing "$what" "$fix"; then
    RESULTS+=("$label: SKIPPED ($what is missing)")
  else
    RESULTS+=("$label: FAILED ($what is missing)")
    STATUS=1
  fi
}

run_suite sqlite local "$@"

if "$TSX" scripts/pg-cluster.ts available; then
  STATE="$(mktemp -d)"
  # The cluster runs as the postgres OS user when we are root: it must be able to enter STATE.
  chmod 755 "$STATE"
  if COMPAT_PG_URL="$("$TSX" scripts/pg-cluster.ts start "$STATE")"; then
    export COMPAT_PG_URL
    run_suite postgres local "$@"
  else
    RESULTS+=("postgres + local artifacts: FAILED (could not start a PostgreSQL cluster)")
    STATUS=1
  fi
  # The S3 run does not need the cluster: stop it now rather than at exit.
  cleanup
  STATE=""
else
  skipped "postgres + local artifacts" "PostgreSQL server binaries (/usr/lib/postgresql/*/bin)" \
    "apt-get install postgresql"
fi

if "$PY" -c 'import boto3, flask, flask_cors, moto.server' 2>/dev/null; then
  run_suite sqlite s3 "$@"
else
  skipped "sqlite + s3 artifacts" "moto's S3 server (moto[server] in .venv)" \
    "pip install -r test/compat/requirements.txt"
fi

echo "=== compat summary ==="
printf '  %s\n' "${RESULTS[@]}"
exit "$STATUS"
