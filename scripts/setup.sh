#!/usr/bin/env bash
# Everything both Quick start commands need: packages, node_modules, the Prisma client, the database
# (embedded unless DATABASE_URL is set) with every migration applied, and the lab's simulators.
# Idempotent: a second run only checks. Prints `export DATABASE_URL=…` last, for the caller to eval.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib.sh
source scripts/lib.sh

ensure_postgres_binaries 1>&2
# The lab's hosts are real OpenSSH servers.
ensure_apt_packages openssh-server openssh-client 1>&2
mkdir -p /run/sshd
ensure_node_modules 1>&2

step "prisma generate" 1>&2
bash scripts/prisma-generate.sh >/dev/null

if [ -z "${DATABASE_URL:-}" ]; then
  step "embedded PostgreSQL" 1>&2
  npx tsx scripts/db/embedded.ts start 1>&2
  DATABASE_URL="$(npx tsx scripts/db/embedded.ts url)"
fi
export DATABASE_URL

step "migrations" 1>&2
npx tsx scripts/db/apply-migrations.ts 1>&2

step "lab simulators" 1>&2
npx tsx lab/build-sims.ts 1>&2

printf 'export DATABASE_URL=%q\n' "$DATABASE_URL"
