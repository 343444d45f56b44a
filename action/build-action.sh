#!/usr/bin/env bash
# The Action's first step: make temporal-preflight runnable from the Action's own checkout
# ($GITHUB_ACTION_PATH), never from a registry. A release tag ships a prebuilt dist/ and is used
# as is; a branch or commit checkout (dist/ is not committed) is installed and built here.
set -euo pipefail

action="${GITHUB_ACTION_PATH:?GITHUB_ACTION_PATH is not set}"
cd "$action"
if [ -f dist/cli/main.js ]; then
  echo "temporal-preflight: using the prebuilt dist/ of the action ($(node -p 'require("./package.json").version'))"
  exit 0
fi
echo "::group::temporal-preflight: install and build the action's source"
npm ci --no-audit --no-fund
npm run build
echo "::endgroup::"
if [ ! -f dist/cli/main.js ]; then
  echo "::error title=temporal-preflight could not run::the build of the action's source produced no dist/cli/main.js"
  exit 2
fi
