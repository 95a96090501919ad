#!/usr/bin/env bash
# Makes sure the OpenSSH server binary exists for the lab estate. Idempotent: apt is touched only
# when /usr/sbin/sshd is missing. The system sshd is never started (no systemd here; the lab runs
# its own sshd processes with their own configs).
set -euo pipefail

if [[ ! -x /usr/sbin/sshd ]] || ! command -v ssh-keygen >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # policy-rc.d keeps the package scripts from trying to start the system sshd.
  policy=/usr/sbin/policy-rc.d
  created_policy=0
  if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy"
    chmod 755 "$policy"
    created_policy=1
  fi
  apt-get install -y -qq --no-install-recommends openssh-server openssh-client >/dev/null
  if [[ $created_policy == 1 ]]; then rm -f "$policy"; fi
fi

# sshd refuses to start without its privilege-separation directory.
mkdir -p /run/sshd
chmod 755 /run/sshd
