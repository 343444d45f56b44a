#!/usr/bin/env bash
# The GitHub Action's review step: runs `temporal-preflight check` twice (SARIF for code scanning,
# Markdown for the job summary), makes both fit GitHub (paths relative to the repository root,
# absolute file links), and records the verdict. The NO-GO gate is a later step, so the upload
# happens first. Inputs come as PREFLIGHT_* environment variables (see action.yml).
set -euo pipefail

workspace="${GITHUB_WORKSPACE:-$PWD}"
dir="${PREFLIGHT_PATH:-.}"
sarif="${PREFLIGHT_SARIF:-temporal-preflight.sarif}"
fail_on="${PREFLIGHT_FAIL_ON:-error}"
version="${PREFLIGHT_VERSION:-latest}"
read -r -a extra <<<"${PREFLIGHT_ARGS:-}"

cd "$workspace"
if [ ! -d "$dir" ]; then
  echo "::error title=temporal-preflight::path '$dir' is not a directory in the repository"
  exit 2
fi
# The reviewed directory relative to the repository root, "" for the root itself.
prefix="$(cd "$dir" && pwd -P)"
root="$(pwd -P)"
prefix="${prefix#"$root"}"
prefix="${prefix#/}"

# Prefer the project's own temporal-preflight (a devDependency), else fetch the requested version.
PATH="$root/$dir/node_modules/.bin:$root/node_modules/.bin:$PATH"
if command -v temporal-preflight >/dev/null 2>&1; then
  cli=(temporal-preflight)
else
  cli=(npx --yes "temporal-preflight@$version")
fi

run_check() {
  local status=0
  "${cli[@]}" check "$dir" --fail-on "$fail_on" "${extra[@]}" "$@" || status=$?
  # 0 is GO, 1 is NO-GO; anything else means the review could not run.
  if [ "$status" -gt 1 ]; then
    echo "::error title=temporal-preflight::the review could not run (exit $status); see the log above"
    exit "$status"
  fi
  return 0
}

mkdir -p "$(dirname "$sarif")"
run_check --format sarif -o "$sarif"
summary="$(mktemp)"
run_check --format markdown -o "$summary"

server="${GITHUB_SERVER_URL:-https://github.com}"
link_base=""
if [ -n "${GITHUB_REPOSITORY:-}" ] && [ -n "${GITHUB_SHA:-}" ]; then
  link_base="$server/$GITHUB_REPOSITORY/blob/$GITHUB_SHA/${prefix:+$prefix/}"
fi
verdict="$(node "$GITHUB_ACTION_PATH/action/github-report.mjs" sarif "$sarif" "$prefix" "$dir")"
node "$GITHUB_ACTION_PATH/action/github-report.mjs" markdown "$summary" "$link_base" >>"${GITHUB_STEP_SUMMARY:-/dev/stdout}"
rm -f "$summary"

{
  echo "verdict=$verdict"
  echo "sarif-file=$sarif"
} >>"${GITHUB_OUTPUT:-/dev/stdout}"
echo "temporal-preflight: $verdict"
