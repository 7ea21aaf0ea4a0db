#!/usr/bin/env bash
# Provisions kwok (sigs.k8s.io/kwok), which keeps simulated nodes' heartbeats (Leases) and status
# the way kubelets do, for scripts/bench.sh and the real-node tier. Idempotent; prints the binary's path
# as its last line. Beside it, stages.yaml holds kwok's own stages for nodes (ready, heartbeats with
# Leases) and pods (running, completed, deleted), copied from its module: kwok runs none by default.
#   1. already built under ~/.cache/wavegate/kwok-<version>/  -> use it
#   2. otherwise build it from the Go module proxy (go install; a few minutes on 2 cores) and cache it
set -euo pipefail

KWOK_VERSION="${WAVEGATE_KWOK_VERSION:-v0.8.0}"
TARGET_DIR="${WAVEGATE_BUILD_CACHE:-$HOME/.cache/wavegate}/kwok-${KWOK_VERSION#v}"

log() { echo "[kwok] $*" >&2; }

if [ -x "$TARGET_DIR/kwok" ] && [ -s "$TARGET_DIR/stages.yaml" ]; then
  log "using cached $TARGET_DIR/kwok"
  echo "$TARGET_DIR/kwok"
  exit 0
fi
command -v go >/dev/null || { log "Go is required to build kwok (apt-get install golang, or see README)"; exit 1; }
log "building kwok ${KWOK_VERSION} from the Go module proxy into $TARGET_DIR (first time only)"
mkdir -p "$TARGET_DIR"
[ -x "$TARGET_DIR/kwok" ] || GOBIN="$TARGET_DIR" GOFLAGS= go install "sigs.k8s.io/kwok/cmd/kwok@${KWOK_VERSION}" >&2
stages="$(GOFLAGS= go mod download -json "sigs.k8s.io/kwok@${KWOK_VERSION}" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')/kustomize/stage"
for stage in node/fast/node-initialize node/heartbeat-with-lease/node-heartbeat-with-lease \
    pod/fast/pod-ready pod/fast/pod-complete pod/fast/pod-delete; do
  echo "---"
  cat "$stages/$stage.yaml"
done > "$TARGET_DIR/stages.yaml"
"$TARGET_DIR/kwok" --version >&2
echo "$TARGET_DIR/kwok"
