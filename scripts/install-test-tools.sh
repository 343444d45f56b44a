#!/usr/bin/env bash
# Installs what the test suite needs besides npm packages: the pinned Temporal CLI (for the dev
# server), Debian's chromium (HTML report tests) and promtool (alert rule tests). Idempotent.
# Run as root (apt-get) after `npm ci`; then `npm test`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
temporal_cli="$(bash scripts/install-temporal-cli.sh </dev/null)"
"$temporal_cli" --version >&2
bash scripts/install-debian-packages.sh </dev/null
# npm may skip the package's postinstall that marks its binary executable.
multitool=node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool
if [ -f "$multitool" ]; then chmod u+x "$multitool"; fi
printf '%s\n' "$temporal_cli"
