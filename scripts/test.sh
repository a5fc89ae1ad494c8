#!/usr/bin/env bash
# Runs every Bridgework test. Postgres: TEST_DATABASE_URL, else a server on
# 127.0.0.1:5432, else a throwaway cluster (installing PostgreSQL with apt-get
# when running as root on Debian), stopped again at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

start=$(date +%s)
eval "$(go run ./internal/testdb/testpg env)"
if [ -n "${TESTPG_DATADIR:-}" ]; then
  trap 'go run ./internal/testdb/testpg stop "$TESTPG_DATADIR"' EXIT
  echo "test: started a throwaway Postgres cluster at $TEST_DATABASE_URL"
else
  echo "test: using Postgres at ${TEST_DATABASE_URL%%\?*}"
fi

go test -count=1 -timeout 20m ./...
make -s bench-short

# The end-to-end benchmark, short (figures only, no targets asserted): proves
# that `bridgework bench` still runs, on fresh schemas of the test server.
make -s build
BRIDGEWORK_DATABASE_URL="$TEST_DATABASE_URL" ./bin/bridgework bench --quick --scenarios simple,burst

# The browser app: unit tests, and the committed bundle must match its sources.
(
  cd web
  [ -d node_modules ] || npm ci --no-audit --no-fund --loglevel=error
  npm test --silent
  npm run build --silent >/dev/null
  git diff --exit-code --stat -- dist || { echo "web/dist does not match web/src: run 'make web' and commit web/dist"; exit 1; }
)

# The browser app in headless Chromium against a real server.
./scripts/e2e.sh

echo "test: finished in $(( $(date +%s) - start ))s"
