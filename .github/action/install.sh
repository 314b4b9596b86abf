#!/usr/bin/env bash
# Installs podlint for the GitHub Action and writes its path to $GITHUB_OUTPUT as "podlint".
#
# INPUT_VERSION names a release (1.2.3, v1.2.3 or latest): its archive for this runner is downloaded
# and checked against the release's checksums.txt. Without it, the action's own checkout
# ($GITHUB_ACTION_PATH) is built with the runner's Go, so `uses: podlint/podlint@<ref>` runs exactly
# the code at that ref. PODLINT_RELEASE_URL replaces the releases address (for tests and mirrors).
set -euo pipefail

: "${GITHUB_ACTION_PATH:?is not set: run this from the action}"
: "${GITHUB_OUTPUT:?is not set: run this from the action}"

version=${INPUT_VERSION:-}
bindir="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/podlint-bin"
mkdir -p "$bindir"
exe=podlint
render_exe=podlint-render
if [ "${RUNNER_OS:-}" = Windows ]; then
  exe=podlint.exe
  render_exe=podlint-render.exe
fi

fail() {
  echo "::error title=podlint install::$*"
  exit 1
}

# archive_name prints the release archive for an OS and architecture, as .goreleaser.yaml names it.
archive_name() {
  local os arch ext=tar.gz
  case "$1" in
    Linux) os=linux ;;
    macOS) os=darwin ;;
    Windows) os=windows ext=zip ;;
    *) fail "no podlint release for runner OS '$1'" ;;
  esac
  case "$2" in
    X64) arch=amd64 ;;
    ARM64) arch=arm64 ;;
    *) fail "no podlint release for runner architecture '$2'" ;;
  esac
  echo "podlint_${os}_${arch}.${ext}"
}

sha256() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -d' ' -f1
  else
    shasum -a 256 "$1" | cut -d' ' -f1
  fi
}

if [ -z "$version" ]; then
  if ! command -v go >/dev/null 2>&1; then
    fail "building podlint from source needs Go: add actions/setup-go before this action, or set the version input to a release"
  fi
  echo "Building podlint from $GITHUB_ACTION_PATH with $(go version)"
  # as releases are built: no symbol table or DWARF, which also makes the link faster
  (cd "$GITHUB_ACTION_PATH" && CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o "$bindir/$exe" ./cmd/podlint)
  # the renderer of Helm charts and kustomizations, which podlint runs from its own folder
  (cd "$GITHUB_ACTION_PATH" && CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o "$bindir/$render_exe" ./cmd/podlint-render)
else
  base=${PODLINT_RELEASE_URL:-https://github.com/podlint/podlint/releases}
  if [ "$version" = latest ]; then
    url="$base/latest/download"
  else
    url="$base/download/v${version#v}"
  fi
  archive=$(archive_name "${RUNNER_OS:-Linux}" "${RUNNER_ARCH:-X64}")
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  echo "Downloading $url/$archive"
  curl -fsSL --retry 3 -o "$work/$archive" "$url/$archive" || fail "cannot download $url/$archive"
  curl -fsSL --retry 3 -o "$work/checksums.txt" "$url/checksums.txt" || fail "cannot download $url/checksums.txt"
  want=$(awk -v f="$archive" '$2 == f || $2 == "*" f { print $1 }' "$work/checksums.txt")
  [ -n "$want" ] || fail "checksums.txt has no entry for $archive"
  got=$(sha256 "$work/$archive")
  [ "$got" = "$want" ] || fail "checksum mismatch for $archive: got $got, want $want"
  mkdir "$work/x"
  case "$archive" in
    *.zip) unzip -q "$work/$archive" -d "$work/x" ;;
    *) tar -xzf "$work/$archive" -C "$work/x" ;;
  esac
  [ -f "$work/x/$exe" ] || fail "$archive holds no $exe"
  mv "$work/x/$exe" "$bindir/$exe"
  chmod +x "$bindir/$exe"
  if [ -f "$work/x/$render_exe" ]; then
    mv "$work/x/$render_exe" "$bindir/$render_exe"
    chmod +x "$bindir/$render_exe"
  fi
fi

"$bindir/$exe" version
echo "podlint=$bindir/$exe" >>"$GITHUB_OUTPUT"
