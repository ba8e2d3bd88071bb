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
  # Reinstall only when test/compat/requirements.txt changed since the last install.
  local want have
  want="$(sha256sum test/compat/requirements.txt | cut -d' ' -f1)"
  have="$(cat .venv/.requirements-sha256 2>/dev/null || true)"
  if [ "$want" = "$have" ] && [ -x .venv/bin/python ]; then
    echo "using the existing .venv (requirements unchanged)"
    return 0
  fi
  [ -x .venv/bin/python ] || python3 -m venv .venv || return 1
  .venv/bin/python -m pip install --disable-pip-version-check -q -r test/compat/requirements.txt &&
    echo "$want" > .venv/.requirements-sha256
}

if command -v python3 >/dev/null 2>&1; then
  stage "python venv for test/compat" python_env
else
  echo "python3 not found: test/compat will report it"
fi
stage "web UI build (vite)" npm run build:ui
stage "unit tests (vitest)" npx vitest run
stage "compat suite (test/compat/run.sh)" bash test/compat/run.sh

echo
echo "===== summary ====="
printf '  %s\n' "${SUMMARY[@]}"
exit "$STATUS"
