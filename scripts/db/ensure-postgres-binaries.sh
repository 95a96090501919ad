#!/usr/bin/env bash
# Makes sure PostgreSQL server binaries (initdb, pg_ctl, postgres) exist for the
# embedded database. Idempotent: does nothing when they are already installed.
set -euo pipefail

if [[ -n "${KEEL_PG_BIN:-}" && -x "${KEEL_PG_BIN}/initdb" ]]; then
  exit 0
fi
if compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
  exit 0
fi

if [[ "$(id -u)" -ne 0 ]]; then
  echo "PostgreSQL server binaries are missing; as root run: apt-get install -y postgresql-15" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
# Refresh the package lists only when apt does not know the package yet (fresh images ship without lists).
if ! apt-cache show postgresql-15 >/dev/null 2>&1; then
  apt-get update
fi
apt-get install -y --no-install-recommends postgresql-15

if ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
  echo "postgresql-15 installed but no /usr/lib/postgresql/*/bin/initdb found" >&2
  exit 1
fi
