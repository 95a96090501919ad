#!/usr/bin/env bash
# Quick start command 2: set everything up and run every test — typecheck, migration drift,
# unit + integration (vitest, real PostgreSQL and real sshd), e2e (Playwright on Debian's Chromium).
# Exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib.sh
source scripts/lib.sh
started=$(now_ms)
export CI="${CI:-}" NODE_ENV=test

ensure_apt_packages chromium openssh-server openssh-client || exit 1
setup_out="$(bash scripts/setup.sh)" || { echo "set-up failed" >&2; exit 1; }
eval "$setup_out"
server_url="$DATABASE_URL"
rm -rf test-results && mkdir -p test-results
status=0
run() { local name="$1"; shift; step "$name"; local t; t=$(now_ms); "$@" || { status=1; echo "FAILED: $name" >&2; }; echo "($name: $(( ($(now_ms) - t) / 1000 ))s)"; }

run "typecheck" npx tsc --noEmit -p .
run "migrations match schema.prisma" npx tsx scripts/db/check-drift.ts
run "unit + integration (vitest)" env KEEL_TEST_SERVER_URL="$server_url" npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/unit.json

# e2e: a fresh database of its own, migrated and seeded the way the demo is.
e2e_db="$(node -e 'const u = new URL(process.argv[1]); u.pathname = "/keel_e2e"; console.log(u.toString())' "$server_url")"
run "e2e database" npx tsx scripts/db/reset-database.ts "$e2e_db"
export DATABASE_URL="$e2e_db"
run "e2e seed" npx tsx scripts/seed-demo.ts
run "next build" npx next build
run "e2e (playwright)" npx playwright test

step "summary"
npx tsx scripts/test-summary.ts
echo "total: $(( ($(now_ms) - started) / 1000 ))s"
exit $status
