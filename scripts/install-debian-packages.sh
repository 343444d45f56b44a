#!/usr/bin/env bash
# Installs the Debian packages the tests use, when missing: `chromium` (HTML report tests through
# playwright-core), `prometheus` (for `promtool check rules` on generated alert rules) and
# `openssl` (certificates for the mutual-TLS drill test).
# Quiet on success; prints apt's output when something fails.
set -euo pipefail

log() { printf '%s\n' "$*" >&2; }

packages=()
command -v chromium >/dev/null 2>&1 || packages+=(chromium fonts-liberation)
command -v promtool >/dev/null 2>&1 || packages+=(prometheus)
command -v openssl >/dev/null 2>&1 || packages+=(openssl)
if [ "${#packages[@]}" -eq 0 ]; then
  log "chromium, promtool and openssl already installed"
  exit 0
fi

sudo=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    sudo=(sudo)
  else
    log "error: installing ${packages[*]} needs root (or sudo)"
    exit 1
  fi
fi

apt_log="$(mktemp)"
policy=/usr/sbin/policy-rc.d
created_policy=false
cleanup() {
  rm -f "$apt_log"
  if [ "$created_policy" = true ]; then "${sudo[@]}" rm -f "$policy"; fi
}
trap cleanup EXIT

# The prometheus package would start a Prometheus server; tests only need promtool. A policy-rc.d
# that answers 101 tells the package scripts not to start services.
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee "$policy" >/dev/null
  "${sudo[@]}" chmod 755 "$policy"
  created_policy=true
fi

log "installing Debian packages: ${packages[*]}"
run_apt() {
  if ! "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive "$@" >"$apt_log" 2>&1; then
    cat "$apt_log" >&2
    log "error: $* failed"
    exit 1
  fi
}
run_apt apt-get update -qq
run_apt apt-get install -y -qq --no-install-recommends "${packages[@]}"
command -v chromium >/dev/null 2>&1 || { log "error: chromium not on PATH after install"; exit 1; }
command -v promtool >/dev/null 2>&1 || { log "error: promtool not on PATH after install"; exit 1; }
