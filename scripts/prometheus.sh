#!/usr/bin/env bash
# Provides a Prometheus server binary (and promtool) for the metric-gate tests and benchmarks, the
# way scripts/kube-binaries.sh provides Kubernetes. Idempotent: a cached copy returns in
# milliseconds. Installs nothing system-wide and starts no service. Prints the directory holding
# `prometheus` and `promtool` as its last line; progress goes to stderr.
#
#   1. WAVEGATE_PROMETHEUS_DIR holds prometheus and promtool       -> use it
#   2. a copy is cached under ~/.cache/wavegate/prometheus         -> use it
#   3. Debian's `prometheus` package: downloaded (apt-get download), unpacked into the cache
#   4. otherwise built from the Go module proxy (go install of cmd/prometheus and cmd/promtool)
set -euo pipefail

GO_VERSION="${WAVEGATE_PROMETHEUS_GO_VERSION:-v0.316.0}"   # the Go module version of a Prometheus 3 release
CACHE="${WAVEGATE_BUILD_CACHE:-$HOME/.cache/wavegate}/prometheus"

log() { echo "[prometheus] $*" >&2; }
usable() { [ -x "$1/prometheus" ] && [ -x "$1/promtool" ] && "$1/prometheus" --version >/dev/null 2>&1; }

if [ -n "${WAVEGATE_PROMETHEUS_DIR:-}" ]; then
  usable "$WAVEGATE_PROMETHEUS_DIR" || { log "WAVEGATE_PROMETHEUS_DIR=$WAVEGATE_PROMETHEUS_DIR has no working prometheus and promtool"; exit 1; }
  echo "$WAVEGATE_PROMETHEUS_DIR"
  exit 0
fi

if usable "$CACHE"; then
  log "using cached $CACHE ($("$CACHE/prometheus" --version 2>&1 | head -n 1))"
  echo "$CACHE"
  exit 0
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$CACHE"

if command -v apt-get >/dev/null && (cd "$tmp" && apt-get download prometheus >/dev/null 2>&1); then
  log "unpacking Debian's prometheus package into $CACHE (not installed, no service started)"
  dpkg-deb -x "$tmp"/prometheus_*.deb "$tmp/deb"
  cp "$tmp/deb/usr/bin/prometheus" "$tmp/deb/usr/bin/promtool" "$CACHE/"
elif command -v go >/dev/null; then
  log "building Prometheus $GO_VERSION from the Go module proxy (several minutes the first time)"
  CGO_ENABLED=0 GOBIN="$tmp/bin" go install -trimpath -ldflags "-s -w" \
    "github.com/prometheus/prometheus/cmd/prometheus@$GO_VERSION" "github.com/prometheus/prometheus/cmd/promtool@$GO_VERSION"
  cp "$tmp/bin/prometheus" "$tmp/bin/promtool" "$CACHE/"
else
  log "no cached copy, no apt-get download of Debian's prometheus package and no Go: set WAVEGATE_PROMETHEUS_DIR"
  exit 1
fi
usable "$CACHE" || { log "the provisioned prometheus does not run"; exit 1; }
log "ready: $("$CACHE/prometheus" --version 2>&1 | head -n 1)"
echo "$CACHE"
