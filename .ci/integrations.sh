#!/usr/bin/env bash
# CI for the places users run podlint: the GitHub Action and workflows (shellcheck, actionlint), the
# pre-commit hooks (run for real with pre-commit try-repo) and the release configuration (goreleaser
# check and a snapshot build). Installs the tools it needs when they are missing; run from .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

# Pinned tool versions. goreleaser v2.16.0 is the newest that builds with Go 1.26 from the module
# proxy alone (v2.17 needs a module the proxy does not serve; v2.18 needs Go 1.27).
ACTIONLINT_VERSION=v1.7.12
GORELEASER_VERSION=v2.16.0

step() { printf '\n== %s\n' "$*"; }

gobin=$(go env GOPATH)/bin
export PATH="$gobin:$PATH"

sudo_if_needed() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

apt_updated=
apt_install() {
  if [ -z "$apt_updated" ]; then
    sudo_if_needed apt-get update -qq
    apt_updated=1
  fi
  sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

step "tools"
command -v shellcheck >/dev/null || apt_install shellcheck
command -v pre-commit >/dev/null || apt_install pre-commit
tool_version() { # the version a tool reports, or nothing when it is missing
  case $1 in
    actionlint) actionlint -version 2>/dev/null | sed -n 1p || true ;;
    goreleaser) goreleaser --version 2>/dev/null | sed -n 's/^GitVersion: *//p' || true ;;
  esac
}
if [ "$(tool_version actionlint)" != "$ACTIONLINT_VERSION" ]; then
  go install "github.com/rhysd/actionlint/cmd/actionlint@$ACTIONLINT_VERSION"
fi
if [ "$(tool_version goreleaser)" != "$GORELEASER_VERSION" ]; then
  echo "building goreleaser $GORELEASER_VERSION (a few minutes, once per machine)"
  go install "github.com/goreleaser/goreleaser/v2@$GORELEASER_VERSION"
fi
echo "shellcheck $(shellcheck --version | sed -n 's/^version: //p'), $(pre-commit --version)," \
  "actionlint $(tool_version actionlint), goreleaser $(tool_version goreleaser)"

step "shellcheck"
shellcheck .github/action/*.sh .ci/integrations.sh

step "actionlint"
actionlint

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

step "pre-commit hooks"
# try-repo installs a hook repository from a commit. Commit a snapshot of the working tree (tracked
# and new files, as git would see them) so that uncommitted changes are tested too and a fresh clone
# works the same.
snap="$tmp/snapshot"
mkdir "$snap"
git ls-files -z --cached --others --exclude-standard |
  while IFS= read -r -d '' f; do if [ -e "$f" ]; then printf '%s\0' "$f"; fi; done |
  tar --null -T - -cf - | tar -xf - -C "$snap"
git -C "$snap" init -q
git -C "$snap" add -A
git -C "$snap" -c user.name=ci -c user.email=ci@localhost -c commit.gpgsign=false commit -qm snapshot

work="$tmp/work"
mkdir "$work"
git -C "$work" init -q
cp fixtures/duplicate-key/fail-repeated-key.yaml "$work/bad.yaml"
cp fixtures/examples/kubia-manual.yaml "$work/good.yaml"
echo "# notes" >"$work/notes.md"
# a Helm chart: a changed template must lint the rendered chart (pre-commit's Go install must ship
# podlint-render beside podlint)
cp -r fixtures/repository/charts/web "$work/chart"
# a file that --fix corrects completely (the podlint-fix hooks)
cp internal/cli/testdata/fix/enum-case.yaml "$work/fixable.yaml"
git -C "$work" add -A
# A private pre-commit home keeps runs independent; the shared module cache keeps the hook's Go
# build from downloading modules again.
export PRE_COMMIT_HOME="$tmp/pre-commit-home"
GOMODCACHE=$(go env GOMODCACHE)
export GOMODCACHE

expect_hook() { # expect_hook pass|fail HOOK FILE [text the output must contain]
  local want=$1 hook=$2 file=$3 text=${4:-} out code=0
  out=$(cd "$work" && pre-commit try-repo "$snap" "$hook" --files "$file" 2>&1) || code=$?
  if { [ "$want" = pass ] && [ "$code" -ne 0 ]; } || { [ "$want" = fail ] && [ "$code" -eq 0 ]; } ||
    { [ -n "$text" ] && ! grep -qF -- "$text" <<<"$out"; }; then
    echo "pre-commit $hook on $file: exit $code, want $want${text:+ with \"$text\"}:"
    echo "$out"
    exit 1
  fi
  echo "ok: $hook on $file ${want}ed${text:+ ($text)}"
}
expect_hook fail podlint bad.yaml 'bad.yaml:8:3: error: duplicate key "name" (first at line 5)'
expect_hook pass podlint good.yaml 'podlint..'
expect_hook pass podlint notes.md '(no files to check)Skipped'
expect_hook fail podlint chart/templates/deployment.yaml 'chart/templates/deployment.yaml:35:30: error: containerPort 9090/TCP'
# The system hook runs the podlint on the PATH.
mkdir "$tmp/bin"
go build -o "$tmp/bin/podlint" ./cmd/podlint
go build -o "$tmp/bin/podlint-render" ./cmd/podlint-render
PATH="$tmp/bin:$PATH" expect_hook fail podlint-system bad.yaml 'bad.yaml:8:3: error: duplicate key'
PATH="$tmp/bin:$PATH" expect_hook pass podlint-system good.yaml
PATH="$tmp/bin:$PATH" expect_hook fail podlint-system chart/templates/_helpers.tpl 'chart/templates/deployment.yaml:35:30: error: containerPort 9090/TCP'
# The fix hook writes the fixes: pre-commit fails, naming the modified file; the file is what the
# fix test expects; run again, nothing is left to fix or find.
PATH="$tmp/bin:$PATH" expect_hook fail podlint-fix-system fixable.yaml 'files were modified by this hook'
cmp "$work/fixable.yaml" internal/cli/testdata/fix/enum-case.fixed.yaml ||
  { echo "podlint-fix-system did not write the expected fixes"; exit 1; }
PATH="$tmp/bin:$PATH" expect_hook pass podlint-fix-system fixable.yaml
PATH="$tmp/bin:$PATH" expect_hook fail podlint-fix-system bad.yaml 'bad.yaml:8:3: error: duplicate key'
# Adopting podlint with a baseline named in .podlint.yaml: the accepted finding passes the hook, the
# same problem in a new file fails it.
(cd "$work" && "$tmp/bin/podlint" --write-baseline podlint-baseline.json bad.yaml >/dev/null 2>&1)
echo "baseline: podlint-baseline.json" >"$work/.podlint.yaml"
cp "$work/bad.yaml" "$work/new.yaml"
git -C "$work" add -A
PATH="$tmp/bin:$PATH" expect_hook pass podlint-system bad.yaml
PATH="$tmp/bin:$PATH" expect_hook fail podlint-system new.yaml 'new.yaml:8:3: error: duplicate key'

step "goreleaser"
goreleaser check
# One platform is enough to prove the build settings; the release builds all six. Both programs are
# built (podlint runs podlint-render from its own folder) and both must carry the stamped version.
goreleaser build --snapshot --single-target --clean >"$tmp/goreleaser.log" 2>&1 ||
  { cat "$tmp/goreleaser.log"; exit 1; }
for prog in podlint podlint-render; do
  bin=$(find "$root/dist" -type f \( -name "$prog" -o -name "$prog.exe" \) | head -n 1)
  [ -n "$bin" ] || { echo "the snapshot build made no $prog"; ls -R "$root/dist"; exit 1; }
  got=$("$bin" version)
  echo "$got"
  case "$got" in
    "$prog "*-next) ;;
    *) echo "the snapshot's $prog version is not stamped: $got"; exit 1 ;;
  esac
done
rm -rf "$root/dist"
