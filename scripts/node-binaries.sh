#!/usr/bin/env bash
# Provisions what the real-node tier runs beside the test API server (docs/real-node.md):
#
#   from the Go module proxy (built once, cached beside kube-apiserver in ~/.kubeapitest/k8s/<v>-linux-amd64/):
#     kubelet, kube-proxy, kube-controller-manager, kube-scheduler
#   kwok, for the simulated nodes beside the real one (scripts/kwok.sh)
#   from Debian's packages (apt-get install, once):
#     containerd, runc, the CNI plugins, iptables, docker-registry, openssl, conntrack
#
# Idempotent: when everything is there it returns in milliseconds. Prints, as its last line, the
# directory of the Kubernetes binaries. Exits 3, with a message naming what is missing, where this
# tier cannot run (not root, no apt-get and the packages absent, no Go and the binaries absent).
set -euo pipefail
cd "$(dirname "$0")/.."

K8S_VERSION="${WAVEGATE_K8S_VERSION:-1.34.4}"
TARGET_DIR="${KUBE_API_TEST_DIR:-$HOME/.kubeapitest}/k8s/${K8S_VERSION}-linux-amd64"
BUILD_DIR="${WAVEGATE_BUILD_CACHE:-$HOME/.cache/wavegate}/kube-build-${K8S_VERSION}"
NODE_BINARIES=(kubelet kube-proxy kube-controller-manager kube-scheduler)
# command -> Debian package
declare -A PACKAGES=(
  [containerd]=containerd [runc]=runc [/usr/lib/cni/bridge]=containernetworking-plugins
  [iptables]=iptables [docker-registry]=docker-registry [openssl]=openssl [conntrack]=conntrack
)

log() { echo "[node-binaries] $*" >&2; }
skip() { log "cannot provision the real node: $*"; exit 3; }

[ "$(id -u)" = 0 ] || skip "it needs root (containerd, runc and the kubelet run as root)"
[ "$(uname -s)/$(uname -m)" = Linux/x86_64 ] || skip "it needs Linux on x86_64"

missing=()
for cmd in "${!PACKAGES[@]}"; do
  if [[ "$cmd" == /* ]]; then [ -x "$cmd" ] || missing+=("${PACKAGES[$cmd]}")
  else command -v "$cmd" >/dev/null || missing+=("${PACKAGES[$cmd]}"); fi
done
if [ ${#missing[@]} -gt 0 ]; then
  command -v apt-get >/dev/null || skip "missing ${missing[*]} and there is no apt-get to install them"
  log "installing from Debian's packages: ${missing[*]}"
  # docker-registry's package starts a service on :5000; the tier starts its own on another port.
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >&2 \
    || { apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >&2; } \
    || skip "apt-get could not install ${missing[*]}"
  for service in docker-registry containerd; do
    if command -v systemctl >/dev/null && systemctl is-active --quiet "$service" 2>/dev/null; then
      systemctl stop "$service" >&2 || true; systemctl disable "$service" >&2 2>/dev/null || true
    fi
  done
fi

have_node_binaries() {
  for b in "${NODE_BINARIES[@]}"; do [ -x "$TARGET_DIR/$b" ] || return 1; done
}
if ! have_node_binaries; then
  command -v go >/dev/null || skip "Go is needed to build ${NODE_BINARIES[*]} (none cached in $TARGET_DIR)"
  # The same throwaway module as scripts/kube-binaries.sh (which writes it); its cache makes this minutes.
  scripts/kube-binaries.sh >/dev/null
  [ -f "$BUILD_DIR/go.mod" ] || WAVEGATE_FORCE_BUILD=1 scripts/kube-binaries.sh >/dev/null
  cd "$BUILD_DIR"
  export GOFLAGS=-mod=mod
  for cmd in "${NODE_BINARIES[@]}"; do
    [ -x "$TARGET_DIR/$cmd" ] && continue
    log "go build $cmd ${K8S_VERSION} (minutes, once; cached in $TARGET_DIR)"
    # The kubelet needs cgo for nothing it uses here; static builds keep it independent of the host.
    CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X k8s.io/component-base/version.gitVersion=v${K8S_VERSION} -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=${K8S_VERSION#1.}" \
      -o "$TARGET_DIR/$cmd.tmp" "k8s.io/kubernetes/cmd/$cmd"
    mv "$TARGET_DIR/$cmd.tmp" "$TARGET_DIR/$cmd"
    log "built $cmd"
  done
  cd - >/dev/null
fi
have_node_binaries || skip "binaries missing after the build"
scripts/kwok.sh >/dev/null || skip "kwok could not be provisioned (scripts/kwok.sh)"
log "node binaries ready in $TARGET_DIR"
echo "$TARGET_DIR"
