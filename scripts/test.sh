#!/usr/bin/env bash
# `npm test`: unit tests (vitest), then the MLflow-client compatibility suite (test/compat/run.sh).
# Every stage runs even when an earlier one failed; the exit code is non-zero if any failed.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

declare -a SUMMARY=()
STATUS=0

stage() {
  local name="$1"
  shift
  echo
  echo "===== $name ====="
  local started=$SECONDS
  "$@"
  local rc=$?
  local took=$((SECONDS - started))
  if [ "$rc" -eq 0 ]; then
    SUMMARY+=("passed  $name (${took}s)")
  else
    SUMMARY+=("FAILED  $name (exit $rc, ${took}s)")
    STATUS=1
  fi
  return 0
}

python_env() {
  local have
  if have="$(.venv/bin/python -c 'import mlflow; print(mlflow.__version__)' 2>/dev/null)"; then
    echo "using the existing .venv (mlflow $have)"
    return 0
  fi
  python3 -m venv .venv &&
    .venv/bin/python -m pip install --disable-pip-version-check -q -r test/compat/requirements.txt
}

if command -v python3 >/dev/null 2>&1; then
  stage "python venv for test/compat" python_env
else
  echo "python3 not found: test/compat will report it"
fi
stage "unit tests (vitest)" npx vitest run
stage "compat suite (test/compat/run.sh)" bash test/compat/run.sh

echo
echo "===== summary ====="
printf '  %s\n' "${SUMMARY[@]}"
exit "$STATUS"
