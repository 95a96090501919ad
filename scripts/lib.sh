# Shared shell helpers for the two Quick start commands. Sourced, not run.
# shellcheck shell=bash

export NEXT_TELEMETRY_DISABLED=1
export PRISMA_HIDE_UPDATE_MESSAGE=1
export CHECKPOINT_DISABLE=1
export npm_config_update_notifier=false
export npm_config_fund=false
export npm_config_audit=false

step() { printf '\n\033[1;36m==> %s\033[0m\n' "$*"; }
now_ms() { date +%s%3N; }

# Installs the Debian packages that are missing, running `apt-get update` at most once and only if needed.
ensure_apt_packages() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" != 0 ]; then
    echo "Missing Debian packages: ${missing[*]} — run as root or install them first." >&2
    return 1
  fi
  step "apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# PostgreSQL server binaries for the embedded database (and, later, the lab's real PostgreSQL servers).
ensure_postgres_binaries() {
  if [ -n "${KEEL_PG_BIN:-}" ] || compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then return 0; fi
  ensure_apt_packages postgresql
}

# Installs from package-lock.json only when it (or Node's version) changed since the last install.
# `npm install`, not `npm ci`: the registry reachable here does not serve every platform's optional
# packages (e.g. @next/swc-darwin-*), so the lockfile cannot list them and `npm ci` refuses it as out
# of sync. With an unchanged package.json, `npm install` installs exactly the locked versions.
ensure_node_modules() {
  local stamp="node_modules/.keel-installed" want
  want="$(node -v) $(sha256sum package-lock.json | cut -d' ' -f1)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return 0; fi
  step "npm install (locked versions)"
  npm install --no-audit --no-fund --loglevel=error
  echo "$want" > "$stamp"
}

# True once URL answers HTTP with a status below 500 (real readiness, not a port probe).
http_ready() {
  node -e 'fetch(process.argv[1]).then((r) => process.exit(r.status < 500 ? 0 : 1), () => process.exit(1))' "$1"
}
