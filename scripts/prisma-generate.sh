#!/usr/bin/env bash
# Generates the Prisma client (lib/generated/prisma) without Prisma's native engines.
set -euo pipefail
cd "$(dirname "$0")/.."

export PRISMA_SCHEMA_ENGINE_BINARY="$PWD/scripts/db/no-schema-engine.sh"
export PRISMA_HIDE_UPDATE_MESSAGE=1
export CHECKPOINT_DISABLE=1

exec node node_modules/prisma/build/index.js generate "$@"
