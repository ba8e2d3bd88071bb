#!/usr/bin/env bash
# npm run bench [-- --backend sqlite|postgres] [-- --quick]   (or BENCH_BACKEND=postgres, BENCH_QUICK=1)
# Logbook vs MLflow's own server on 127.0.0.1; see bench/main.ts. Results in bench/results/.
set -euo pipefail
cd "$(dirname "$0")/.."

# Short path: the PostgreSQL unix socket lives under it (108-byte limit).
work="$(mktemp -d /tmp/lbb-XXXXXX)"
chmod 755 "$work"
cleanup() {
  # Backstop if the TypeScript runner died without stopping its servers or cluster.
  if [ -d "$work/pg/postgres" ]; then
    node_modules/.bin/tsx scripts/pg-cluster.ts stop "$work/pg" >/dev/null 2>&1 || true
  fi
  if [ -n "${BENCH_KEEP_WORK:-}" ]; then echo "work dir kept: $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT

BENCH_WORK_DIR="$work" node_modules/.bin/tsx bench/main.ts "$@"
