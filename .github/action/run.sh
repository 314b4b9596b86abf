#!/usr/bin/env bash
# Runs podlint for the GitHub Action. One run writes every report:
#   - the log format (INPUT_FORMAT; github makes annotations on the pull request's lines),
#   - SARIF for github/codeql-action/upload-sarif (INPUT_SARIF_FILE, else $RUNNER_TEMP/podlint.sarif),
#   - a Markdown findings table appended to $GITHUB_STEP_SUMMARY.
# INPUT_BASELINE names a baseline file of accepted findings (--baseline).
# It sets the outputs sarif-file, findings, errors and baselined, and exits with podlint's code (1
# when findings reach INPUT_FAIL_LEVEL), after the reports are written.
set -uo pipefail

: "${PODLINT:?is not set: the install step did not run}"
: "${GITHUB_OUTPUT:?is not set: run this from the action}"

tmp="${RUNNER_TEMP:-${TMPDIR:-/tmp}}"
format=${INPUT_FORMAT:-github}
sarif=${INPUT_SARIF_FILE:-$tmp/podlint.sarif}
annotations="$tmp/podlint-annotations.txt"
summary="$tmp/podlint-summary.md"
rm -f "$annotations" "$summary"
mkdir -p "$(dirname "$sarif")"

# Paths are separated by spaces or newlines; they are never glob-expanded.
paths=()
while IFS= read -r line; do
  read -ra words <<<"$line"
  paths+=("${words[@]}")
done <<<"${INPUT_PATHS:-.}"
if [ "${#paths[@]}" -eq 0 ]; then
  paths=(.)
fi

args=(--fail-level "${INPUT_FAIL_LEVEL:-error}"
  --format github --output "$annotations"
  --format sarif --output "$sarif"
  --format markdown --output "$summary")
if [ "$format" != github ]; then
  args+=(--format "$format")
fi
if [ -n "${INPUT_CONFIG:-}" ]; then
  args+=(--config "$INPUT_CONFIG")
fi
if [ -n "${INPUT_BASELINE:-}" ]; then
  args+=(--baseline "$INPUT_BASELINE")
fi

"$PODLINT" "${args[@]}" -- "${paths[@]}"
code=$?

if [ ! -f "$annotations" ]; then
  echo "::error title=podlint::podlint could not run (exit $code); see the messages above"
  exit "$code"
fi
if [ "$format" = github ]; then
  cat "$annotations"
fi
findings=$(grep -cE '^::(error|warning|notice) ' "$annotations" || true)
errors=$(grep -cE '^::error ' "$annotations" || true)
# the summary line ends "; N accepted by the baseline" when a baseline is used
baselined=$(sed -n 's/^podlint: .*; \([0-9][0-9]*\) accepted by the baseline.*/\1/p' "$annotations")
{
  echo "sarif-file=$sarif"
  echo "findings=$findings"
  echo "errors=$errors"
  echo "baselined=${baselined:-0}"
} >>"$GITHUB_OUTPUT"
if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  cat "$summary" >>"$GITHUB_STEP_SUMMARY"
fi
exit "$code"
