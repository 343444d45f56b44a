#!/usr/bin/env bash
# The GitHub Action's review step. Runs `temporal-preflight check` once, from the Action's own
# build, inside the reviewed directory (so --histories, --config and -p are relative to `path`),
# writes the JSON report, and has github-report.mjs turn it into the SARIF, the job summary and
# the pull-request comment. Never fails the step itself: it records what happened in its outputs
#   verdict   GO, NO-GO, or could-not-run (exit 2, a crash, or no report)
#   upload    true when the SARIF should go to code scanning (not on fork pull requests)
#   comment   true when the sticky pull-request comment should be posted
# and the gate step at the end of action.yml fails the job. Inputs come as PREFLIGHT_* variables.
set -euo pipefail

action="${GITHUB_ACTION_PATH:?GITHUB_ACTION_PATH is not set}"
workspace="${GITHUB_WORKSPACE:-$PWD}"
dir="${PREFLIGHT_PATH:-.}"
sarif="${PREFLIGHT_SARIF:-temporal-preflight.sarif}"
fail_on="${PREFLIGHT_FAIL_ON:-error}"
read -r -a extra <<<"${PREFLIGHT_ARGS:-}"
output="${GITHUB_OUTPUT:-/dev/stdout}"

cd "$workspace"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
report="${RUNNER_TEMP:-$work}/temporal-preflight-report.json"
rm -f "$report"
# The SARIF path is relative to the repository root (the upload reads it from there).
case "$sarif" in /*) sarif_abs="$sarif" ;; *) sarif_abs="$workspace/$sarif" ;; esac

status=0
error=""
if [ ! -d "$dir" ]; then
  status=2
  error="path '$dir' is not a directory in the repository"
else
  # Without the project's node_modules the review cannot resolve imported types.
  probe="$(cd "$dir" && pwd -P)"
  root="$(pwd -P)"
  while [ ! -d "$probe/node_modules" ] && [ "$probe" != "$root" ] && [ "$probe" != "/" ]; do probe="$(dirname "$probe")"; done
  if [ ! -d "$probe/node_modules" ]; then
    echo "::warning title=temporal-preflight::no node_modules in '$dir' or above it: install the project's dependencies before this action (npm ci where the lockfile is), or imported types stay unresolved"
  fi
  (cd "$dir" && node "$action/dist/cli/main.js" check . --format json -o "$report" --fail-on "$fail_on" "${extra[@]}") 2>"$work/stderr" || status=$?
  cat "$work/stderr" >&2
  if [ "$status" -gt 1 ] || [ ! -s "$report" ]; then
    error="$(grep -v '^[[:space:]]*$' "$work/stderr" | tail -n 1 || true)"
    [ -n "$error" ] || error="the review exited with $status and wrote no report"
    [ "$status" -gt 1 ] || status=2
  fi
fi

PREFLIGHT_REPORT="$report" PREFLIGHT_STATUS="$status" PREFLIGHT_ERROR="$error" PREFLIGHT_SARIF_ABS="$sarif_abs" \
  PREFLIGHT_COMMENT_FILE="$work/comment.md" PREFLIGHT_VERDICT_FILE="$work/verdict" \
  PREFLIGHT_SUMMARY="${GITHUB_STEP_SUMMARY:-/dev/stderr}" node "$action/action/github-report.mjs"
verdict="$(cat "$work/verdict")"

# Fork pull requests get a read-only token: code scanning would reject the upload and fail the job.
fork=false
if [ -n "${GITHUB_EVENT_PATH:-}" ] && [ -f "$GITHUB_EVENT_PATH" ]; then
  fork="$(node -e 'const e = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); const pr = e.pull_request; console.log(Boolean(pr && pr.head && pr.head.repo && pr.base && pr.base.repo && pr.head.repo.full_name !== pr.base.repo.full_name))' "$GITHUB_EVENT_PATH")"
fi
upload=false
if [ "$verdict" != could-not-run ] && [ "${PREFLIGHT_UPLOAD_SARIF:-true}" = true ]; then
  if [ "$fork" = true ]; then
    echo "::notice title=temporal-preflight::fork pull request: the SARIF is not uploaded to code scanning (the token of a fork pull request cannot write security events); the findings are in the job summary and the pull-request comment"
  else
    upload=true
  fi
fi
comment=false
case "${GITHUB_EVENT_NAME:-}" in
  pull_request | pull_request_target)
    case "${PREFLIGHT_COMMENT:-auto}" in
      true) comment=true ;;
      auto) [ "$upload" = true ] || comment=true ;;
    esac
    ;;
esac
# Keep the comment file past this step: the comment step posts it.
comment_file=""
if [ "$comment" = true ]; then
  comment_file="${RUNNER_TEMP:-$workspace}/temporal-preflight-comment.md"
  cp "$work/comment.md" "$comment_file"
fi

{
  echo "verdict=$verdict"
  if [ "$verdict" != could-not-run ]; then echo "sarif-file=$sarif"; else echo "sarif-file="; fi
  echo "upload=$upload"
  echo "comment=$comment"
  echo "comment-file=$comment_file"
} >>"$output"
echo "temporal-preflight: $verdict"
