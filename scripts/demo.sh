#!/usr/bin/env bash
# Quick start command 1: set everything up and run the console with its demo data, until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib.sh
source scripts/lib.sh
started=$(now_ms)

user_database_url="${DATABASE_URL:-}"
eval "$(bash scripts/setup.sh)"
export KEEL_PORT="${KEEL_PORT:-3000}" KEEL_HOST="${KEEL_HOST:-127.0.0.1}"
export KEEL_BASE_URL="${KEEL_BASE_URL:-http://${KEEL_HOST}:${KEEL_PORT}}"

step "demo accounts"
npx tsx scripts/seed-demo.ts

step "lab estate (real sshd hosts, simulators, real PostgreSQL) and its inventory"
npx tsx lab/up.ts up

step "next build"
npx next build >/dev/null

embedded=0
[ -z "$user_database_url" ] && embedded=1

cleanup() {
  local status=$?
  trap - INT TERM EXIT
  # Stop everything even when a step fails (a killed console's wait returns non-zero).
  set +e
  if [ -n "${next_pid:-}" ]; then
    kill "$next_pid" 2>/dev/null
    wait "$next_pid" 2>/dev/null
  fi
  if [ -n "${worker_pid:-}" ]; then
    # SIGTERM drains: the current step finishes and its run goes back to the queue for the next start.
    kill "$worker_pid" 2>/dev/null
    wait "$worker_pid" 2>/dev/null
  fi
  npx tsx lab/up.ts down
  if [ "$embedded" = 1 ] && [ "${KEEL_KEEP_DB:-}" != 1 ]; then npx tsx scripts/db/embedded.ts stop; fi
  exit "$status"
}
trap cleanup INT TERM EXIT

step "run worker"
export KEEL_WORKER_PORT="${KEEL_WORKER_PORT:-3199}"
node --import tsx worker/main.ts &
worker_pid=$!
until http_ready "http://127.0.0.1:$KEEL_WORKER_PORT/health"; do
  kill -0 "$worker_pid" 2>/dev/null || { echo "the run worker failed to start" >&2; exit 1; }
  sleep 0.2
done

step "console"
node node_modules/next/dist/bin/next start -H "$KEEL_HOST" -p "$KEEL_PORT" &
next_pid=$!
until http_ready "$KEEL_BASE_URL/login"; do
  kill -0 "$next_pid" 2>/dev/null || { echo "the console failed to start" >&2; exit 1; }
  sleep 0.2
done
printf '\nKeel is running at %s  (ready in %ss; Ctrl-C stops it and the embedded database)\n' "$KEEL_BASE_URL" "$(( ($(now_ms) - started) / 1000 ))"
npx tsx -e 'import("./lib/users/demo-accounts.ts").then(({ DEMO_ACCOUNTS }) => { for (const a of DEMO_ACCOUNTS) console.log(`  ${a.role.padEnd(8)} ${a.email.padEnd(22)} ${a.password}`); })'
wait "$next_pid"
