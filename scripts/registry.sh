#!/usr/bin/env bash
# Provides an OCI Distribution registry binary (CNCF distribution 2.8, Debian's docker-registry) for
# the OCI content tests and benchmarks, the way scripts/prometheus.sh provides Prometheus.
# Idempotent: a cached copy returns in milliseconds. Installs nothing system-wide and starts no
# service. Prints the path of the `registry` binary as its last line; progress goes to stderr.
#
#   1. WAVEGATE_REGISTRY_BIN names a working registry binary              -> use it
#   2. a copy is cached under ~/.cache/wavegate/registry                  -> use it
#   3. /usr/bin/docker-registry (Debian's package, installed)             -> copied into the cache
#   4. Debian's `docker-registry` package: downloaded (apt-get download; as root after an apt-get update
#      when the package lists are empty), unpacked into the cache
#   5. otherwise built from the Go module proxy (go install of distribution 3.0's cmd/registry)
set -euo pipefail

# distribution 2.8 no longer builds from the proxy (its rsc.io/letsencrypt dependency is gone); 3.0 does
GO_MODULE="${WAVEGATE_REGISTRY_GO_MODULE:-github.com/distribution/distribution/v3/cmd/registry@v3.0.0}"
CACHE="${WAVEGATE_BUILD_CACHE:-$HOME/.cache/wavegate}/registry"

log() { echo "[registry] $*" >&2; }
usable() { [ -x "$1" ] && "$1" --version >/dev/null 2>&1; }

if [ -n "${WAVEGATE_REGISTRY_BIN:-}" ]; then
  usable "$WAVEGATE_REGISTRY_BIN" || { log "WAVEGATE_REGISTRY_BIN=$WAVEGATE_REGISTRY_BIN does not run"; exit 1; }
  echo "$WAVEGATE_REGISTRY_BIN"
  exit 0
fi

if usable "$CACHE/registry"; then
  log "using cached $CACHE/registry ($("$CACHE/registry" --version 2>&1 | head -n 1))"
  echo "$CACHE/registry"
  exit 0
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$CACHE"

if usable /usr/bin/docker-registry; then
  log "copying Debian's installed docker-registry into $CACHE"
  cp /usr/bin/docker-registry "$CACHE/registry"
elif command -v apt-get >/dev/null && (cd "$tmp" && { apt-get download docker-registry >/dev/null 2>&1 \
    || { [ "$(id -u)" = 0 ] && apt-get update -q >/dev/null 2>&1 && apt-get download docker-registry >/dev/null 2>&1; }; }); then
  log "unpacking Debian's docker-registry package into $CACHE (not installed, no service started)"
  dpkg-deb -x "$tmp"/docker-registry_*.deb "$tmp/deb"
  cp "$tmp/deb/usr/bin/docker-registry" "$CACHE/registry"
elif command -v go >/dev/null; then
  log "building $GO_MODULE from the Go module proxy (a few minutes the first time)"
  CGO_ENABLED=0 GOBIN="$tmp/bin" GOFLAGS=-mod=mod go install -trimpath -ldflags "-s -w" "$GO_MODULE"
  cp "$tmp/bin/registry" "$CACHE/registry"
else
  log "no cached copy, no docker-registry package and no Go: set WAVEGATE_REGISTRY_BIN"
  exit 1
fi
usable "$CACHE/registry" || { log "the provisioned registry does not run"; exit 1; }
log "ready: $("$CACHE/registry" --version 2>&1 | head -n 1)"
echo "$CACHE/registry"
