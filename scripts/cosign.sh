#!/usr/bin/env bash
# Provides the cosign CLI (sigstore) for the tests that sign OCI artifacts as a publisher's pipeline
# would, the way scripts/registry.sh provides the registry. Idempotent: a cached copy returns in
# milliseconds. Installs nothing system-wide. Prints the path of `cosign` as its last line.
#
#   1. WAVEGATE_COSIGN_BIN names a working cosign             -> use it
#   2. a copy is cached under ~/.cache/wavegate/cosign        -> use it
#   3. otherwise built from the Go module proxy (go install of cosign's CLI; several minutes, once)
set -euo pipefail

VERSION="${WAVEGATE_COSIGN_VERSION:-v2.4.1}"
CACHE="${WAVEGATE_BUILD_CACHE:-$HOME/.cache/wavegate}/cosign-$VERSION"

log() { echo "[cosign] $*" >&2; }
usable() { [ -x "$1" ] && "$1" version >/dev/null 2>&1; }

if [ -n "${WAVEGATE_COSIGN_BIN:-}" ]; then
  usable "$WAVEGATE_COSIGN_BIN" || { log "WAVEGATE_COSIGN_BIN=$WAVEGATE_COSIGN_BIN does not run"; exit 1; }
  echo "$WAVEGATE_COSIGN_BIN"
  exit 0
fi
if usable "$CACHE/cosign"; then
  log "using cached $CACHE/cosign"
  echo "$CACHE/cosign"
  exit 0
fi
command -v go >/dev/null || { log "no cached cosign and no Go to build it: set WAVEGATE_COSIGN_BIN"; exit 1; }
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$CACHE"
log "building cosign $VERSION from the Go module proxy (several minutes, once)"
CGO_ENABLED=0 GOBIN="$tmp/bin" GOFLAGS=-mod=mod go install -trimpath -ldflags "-s -w" \
  "github.com/sigstore/cosign/v2/cmd/cosign@$VERSION" >&2
cp "$tmp/bin/cosign" "$CACHE/cosign"
usable "$CACHE/cosign" || { log "the built cosign does not run"; exit 1; }
log "ready: $CACHE/cosign"
echo "$CACHE/cosign"
