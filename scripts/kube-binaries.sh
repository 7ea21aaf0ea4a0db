#!/usr/bin/env bash
# Provisions the kube-apiserver, etcd and kubectl binaries that Fabric8 kube-api-test runs in tests
# and that the demo starts. Idempotent: a cached set returns in milliseconds.
#
#   1. binaries already under ~/.kubeapitest/k8s/<version>-linux-amd64/  -> use them
#   2. the Kubernetes download site answers                                -> leave it to kube-api-test
#   3. otherwise build them from source fetched through the Go module proxy and cache them
#
# Prints, as its last line, either "offline" (binaries are cached: run kube-api-test offline) or
# "online" (kube-api-test may download). Progress goes to stderr.
set -euo pipefail

K8S_VERSION="${WAVEGATE_K8S_VERSION:-1.34.4}"
ETCD_VERSION="${WAVEGATE_ETCD_VERSION:-3.6.4}"
TARGET_DIR="${KUBE_API_TEST_DIR:-$HOME/.kubeapitest}/k8s/${K8S_VERSION}-linux-amd64"
BUILD_DIR="${WAVEGATE_BUILD_CACHE:-$HOME/.cache/wavegate}/kube-build-${K8S_VERSION}"

log() { echo "[kube-binaries] $*" >&2; }

have_all() {
  for b in kube-apiserver etcd kubectl; do [ -x "$TARGET_DIR/$b" ] || return 1; done
}

if have_all; then
  log "using cached binaries in $TARGET_DIR"
  echo offline
  exit 0
fi

if [ "${WAVEGATE_FORCE_BUILD:-}" != "1" ] && curl -sfI --max-time 5 "https://dl.k8s.io/release/v${K8S_VERSION}/bin/linux/amd64/kubectl.sha256" >/dev/null 2>&1; then
  log "download site reachable: kube-api-test will download the binaries itself"
  echo online
  exit 0
fi

command -v go >/dev/null || { log "Go is required to build the Kubernetes binaries (apt-get install golang or see README)"; exit 1; }

log "building kube-apiserver, kubectl ${K8S_VERSION} and etcd ${ETCD_VERSION} from the Go module proxy"
log "first build takes many minutes on 2 cores; the result is cached in $TARGET_DIR"
mkdir -p "$BUILD_DIR" "$TARGET_DIR"
cd "$BUILD_DIR"

# k8s.io/kubernetes replaces its staging modules with local paths, so a plain `go install` fails.
# A throwaway module pins each staging module (required at v0.0.0) to the matching v0.Y.Z release.
staging_version="v0.${K8S_VERSION#1.}"
go mod download -json "k8s.io/kubernetes@v${K8S_VERSION}" >/dev/null
k8s_gomod="$(go env GOMODCACHE)/cache/download/k8s.io/kubernetes/@v/v${K8S_VERSION}.mod"
{
  echo "module wavegate.local/kubebuild"
  echo
  echo "go 1.24.0"
  echo
  echo "require k8s.io/kubernetes v${K8S_VERSION}"
  echo
  grep -E '^\s+k8s\.io/[a-z0-9-]+ v0\.0\.0$' "$k8s_gomod" | awk -v v="$staging_version" '{print "replace " $1 " => " $1 " " v}'
} > go.mod

export GOFLAGS=-mod=mod
log "resolving modules"
go mod download all >/dev/null 2>&1 || true
for cmd in kube-apiserver kubectl; do
  if [ ! -x "$TARGET_DIR/$cmd" ]; then
    log "go build $cmd (this is the slow part)"
    CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X k8s.io/component-base/version.gitVersion=v${K8S_VERSION} -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=${K8S_VERSION#1.}" \
      -o "$TARGET_DIR/$cmd.tmp" "k8s.io/kubernetes/cmd/$cmd"
    mv "$TARGET_DIR/$cmd.tmp" "$TARGET_DIR/$cmd"
    log "built $cmd"
  fi
done

if [ ! -x "$TARGET_DIR/etcd" ]; then
  ETCD_DIR="$BUILD_DIR/etcd-${ETCD_VERSION}"
  mkdir -p "$ETCD_DIR"
  cd "$ETCD_DIR"
  printf 'module wavegate.local/etcdbuild\n\ngo 1.24.0\n\nrequire go.etcd.io/etcd/server/v3 v%s\n' "$ETCD_VERSION" > go.mod
  log "go build etcd"
  CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$TARGET_DIR/etcd.tmp" go.etcd.io/etcd/server/v3
  mv "$TARGET_DIR/etcd.tmp" "$TARGET_DIR/etcd"
  log "built etcd"
fi

have_all || { log "binaries missing after build"; exit 1; }
log "binaries ready in $TARGET_DIR"
echo offline
