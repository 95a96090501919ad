#!/usr/bin/env bash
# Installs the peers that `npm run bench:fanout` compares Keel against: Debian's ansible-core
# (`ansible`) and pssh (`parallel-ssh`). Idempotent: apt is touched only for a missing package, and
# the package lists are refreshed only when apt does not know a candidate for one of them.
set -euo pipefail

missing=()
command -v ansible >/dev/null 2>&1 || missing+=(ansible-core)
command -v parallel-ssh >/dev/null 2>&1 || missing+=(pssh)
[[ ${#missing[@]} -eq 0 ]] && exit 0

has_candidate() {
  local candidate
  candidate=$(apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ { print $2 }')
  [[ -n $candidate && $candidate != "(none)" ]]
}

export DEBIAN_FRONTEND=noninteractive
for pkg in "${missing[@]}"; do
  if ! has_candidate "$pkg"; then
    apt-get update -qq
    break
  fi
done
echo "installing ${missing[*]}" >&2
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

command -v ansible >/dev/null 2>&1 || { echo "ansible missing after installing ansible-core" >&2; exit 1; }
command -v parallel-ssh >/dev/null 2>&1 || { echo "parallel-ssh missing after installing pssh" >&2; exit 1; }
