#!/usr/bin/env bash
# Runs the browser tests against a real Bridgework server: builds the binary,
# starts `bridgework serve --demo` (the demo tenant with every template
# installed, its own sandboxes in-process) on a free loopback port with a
# throwaway SQLite data directory, creates a fresh tenant through the admin
# API, runs web/e2e/run.mjs with that tenant's credentials and stops the
# server again. The fresh tenant's tests use a second pair of sandboxes in a
# process of their own (their URLs go to the tests as E2E_HEARTLAND_URL and
# E2E_EPICOR_URL), which the tenant's outbound_allow lets the server reach.
# Exits with the tests' code.
# Screenshots land in artifacts/screenshots/.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

sh web/e2e/install-chromium.sh
if [ ! -d web/node_modules ]; then
  (cd web && npm ci --no-audit --no-fund)
fi

work=$(mktemp -d)
server_pid=""
sandbox_pid=""
stop() {
  for pid in $server_pid $sandbox_pid; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap stop EXIT

go build -o "$work/bridgework" ./cmd/bridgework

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }

# wait_for URL PID LOG NAME polls URL until it answers (any HTTP status).
wait_for() {
  local deadline=$(( $(date +%s) + 60 ))
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "$1")" != "000" ]; do
    if ! kill -0 "$2" 2>/dev/null || [ "$(date +%s)" -ge "$deadline" ]; then
      echo "e2e: the $4 did not become ready; its log:" >&2
      cat "$3" >&2
      exit 1
    fi
    sleep 0.2
  done
}

heartland_port=$(free_port)
epicor_port=$(free_port)
"$work/bridgework" sandbox --heartland-listen "127.0.0.1:$heartland_port" --epicor-listen "127.0.0.1:$epicor_port" >"$work/sandbox.log" 2>&1 &
sandbox_pid=$!
export E2E_HEARTLAND_URL="http://127.0.0.1:$heartland_port/api"
export E2E_EPICOR_URL="http://127.0.0.1:$epicor_port"
wait_for "$E2E_HEARTLAND_URL" "$sandbox_pid" "$work/sandbox.log" "Heartland sandbox"
wait_for "$E2E_EPICOR_URL" "$sandbox_pid" "$work/sandbox.log" "Epicor sandbox"

port=$(free_port)
url="http://127.0.0.1:$port"
mkdir -p "$work/data"
(cd "$work/data" && exec env BRIDGEWORK_LISTEN="127.0.0.1:$port" "$work/bridgework" serve --demo \
  --heartland-listen 127.0.0.1:0 --epicor-listen 127.0.0.1:0 >"$work/server.log" 2>&1) &
server_pid=$!
wait_for "$url/readyz" "$server_pid" "$work/server.log" "server"

admin_token=$(cat "$work/data/bridgework-data/admin.token")
tenant=$(curl -sf -X POST "$url/api/v1/tenants" \
  -H "Authorization: Bearer $admin_token" -H 'Content-Type: application/json' \
  -d '{"name":"E2E Retail","slug":"e2e-retail","admin_email":"ops@e2e.example.com","outbound_allow":["127.0.0.1"]}')
field() { python3 -c 'import json, sys; d = json.load(sys.stdin); print(d["admin"][sys.argv[1]])' "$1" <<<"$tenant"; }

export BRIDGEWORK_URL="$url"
export E2E_DEMO=1 # the server runs with --demo
export BRIDGEWORK_TENANT="e2e-retail"
BRIDGEWORK_EMAIL=$(field email)
BRIDGEWORK_PASSWORD=$(field password)
BRIDGEWORK_API_KEY=$(field api_key)
export BRIDGEWORK_EMAIL BRIDGEWORK_PASSWORD BRIDGEWORK_API_KEY

status=0
(cd "$root/web" && node e2e/run.mjs) || status=$?
if [ "$status" -ne 0 ]; then
  echo "e2e: server log (last 40 lines):"
  tail -n 40 "$work/server.log"
fi
exit "$status"
