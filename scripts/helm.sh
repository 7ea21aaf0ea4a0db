#!/usr/bin/env bash
# Provides the Helm binary that the chart tests and the k3s suite run. Idempotent: a cached binary
# returns in milliseconds. Prints the binary's path as its last line; progress goes to stderr.
#
#   1. WAVEGATE_HELM points to a helm binary        -> use it
#   2. a helm v3 build is cached under ~/.cache     -> use it
#   3. otherwise build helm from the Go module proxy (go install helm.sh/helm/v3/cmd/helm) and cache it
set -euo pipefail

HELM_VERSION="${WAVEGATE_HELM_VERSION:-3.19.5}"
BIN_DIR="${WAVEGATE_BUILD_CACHE:-$HOME/.cache/wavegate}/helm-${HELM_VERSION}"

log() { echo "[helm] $*" >&2; }

if [ -n "${WAVEGATE_HELM:-}" ]; then
  [ -x "$WAVEGATE_HELM" ] || { log "WAVEGATE_HELM=$WAVEGATE_HELM is not an executable"; exit 1; }
  echo "$WAVEGATE_HELM"
  exit 0
fi

if [ -x "$BIN_DIR/helm" ]; then
  log "using cached $BIN_DIR/helm"
  echo "$BIN_DIR/helm"
  exit 0
fi

command -v go >/dev/null || { log "Go is required to build Helm (apt-get install golang, or set WAVEGATE_HELM)"; exit 1; }
log "building helm v${HELM_VERSION} from the Go module proxy (a few minutes the first time)"
mkdir -p "$BIN_DIR"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
CGO_ENABLED=0 GOBIN="$tmp" go install -trimpath -ldflags "-s -w -X helm.sh/helm/v3/internal/version.version=v${HELM_VERSION}" \
  "helm.sh/helm/v3/cmd/helm@v${HELM_VERSION}"
mv "$tmp/helm" "$BIN_DIR/helm"
log "built $BIN_DIR/helm"
echo "$BIN_DIR/helm"
