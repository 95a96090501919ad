#!/usr/bin/env bash
# Stand-in for Prisma's native schema engine, which cannot be downloaded here.
# `prisma generate`/`validate` never run it; anything that does (migrate, db push)
# must fail loudly instead of silently doing nothing (/bin/true makes
# `migrate deploy` report "No migration found" and exit 0).
msg="the native Prisma schema engine is not available offline; use npm run db:migrate / npm run db:migration:create / npm run db:drift"
# The CLI skips the first stderr line and parses the rest as the engine's JSON
# log lines, printing their messages; the plain line serves anyone else.
echo "keel: $msg" >&2
printf '{"level":"ERROR","target":"schema_engine::logger","fields":{"message":"keel: %s"}}\n' "$msg" >&2
exit 1
