#!/usr/bin/env bash
# A single-node Kubernetes cluster on this machine, for the real-node tier (docs/real-node.md):
# etcd, kube-apiserver, kube-controller-manager, kube-scheduler, a local registry (Debian's
# docker-registry on loopback), containerd with runc and the CNI bridge, a kubelet, kube-proxy,
# and kwok for the simulated nodes beside the real one. Everything runs as processes of this
# script, with state in one directory; nothing is installed as a service.
#
#   scripts/real-node.sh up      start it (idempotent: an up cluster is left as it is); prints the
#                                admin kubeconfig's path as its last line
#   scripts/real-node.sh down    stop every process and container, remove the state and the rules
#   scripts/real-node.sh status  what runs
#   scripts/real-node.sh push IMAGE.tar NAME:TAG
#                                push a docker-archive image into the registry (as 127.0.0.1:PORT/NAME:TAG)
#
# Exits 3 with a message naming what is missing where it cannot run (not root, no runc, ...).
# WAVEGATE_REAL_NODE_DIR (default /tmp/wavegate-real-node), WAVEGATE_REGISTRY_PORT (5111),
# WAVEGATE_NODE_NAME (real-node-1), WAVEGATE_AUDIT_LOG (an audit log path; none by default).
set -euo pipefail
cd "$(dirname "$0")/.."
REPO="$PWD"

STATE="${WAVEGATE_REAL_NODE_DIR:-/tmp/wavegate-real-node}"
REGISTRY_PORT="${WAVEGATE_REGISTRY_PORT:-5111}"
REGISTRY="127.0.0.1:${REGISTRY_PORT}"
NODE="${WAVEGATE_NODE_NAME:-real-node-1}"
SERVICE_CIDR=10.96.0.0/16
POD_CIDR=10.88.0.0/16
PKI="$STATE/pki"
CONTAINERD_SOCK="$STATE/containerd/containerd.sock"

log() { echo "[real-node] $*" >&2; }
skip() { log "cannot run the real node: $*"; exit 3; }

host_ip() { ip -4 route get 1.1.1.1 2>/dev/null | grep -o 'src [0-9.]*' | cut -d' ' -f2; }

ctr_() { ctr --address "$CONTAINERD_SOCK" "$@"; }

pid_alive() { [ -f "$STATE/pids/$1" ] && kill -0 "$(cat "$STATE/pids/$1")" 2>/dev/null; }

# start NAME COMMAND...: runs in its own session, logs to STATE/logs/NAME.log.
start() {
  local name="$1"; shift
  if pid_alive "$name"; then return; fi
  setsid "$@" >"$STATE/logs/$name.log" 2>&1 < /dev/null &
  echo $! > "$STATE/pids/$name"
}

# wait_for WHAT SECONDS COMMAND...: polls until COMMAND succeeds, else prints the log and fails.
wait_for() {
  local what="$1" seconds="$2"; shift 2
  for _ in $(seq $((seconds * 5))); do "$@" >/dev/null 2>&1 && return 0; sleep 0.2; done
  log "$what did not come up in ${seconds}s; its log:"
  tail -n 30 "$STATE/logs/$what.log" >&2 || true
  return 1
}

cert() { # cert NAME CN O [SANS]
  local name="$1" cn="$2" org="$3" sans="${4:-}"
  [ -f "$PKI/$name.crt" ] && return
  openssl genrsa -out "$PKI/$name.key" 2048 2>/dev/null
  local subject="/CN=$cn"; [ -n "$org" ] && subject="/O=$org/CN=$cn"
  openssl req -new -key "$PKI/$name.key" -subj "$subject" -out "$PKI/$name.csr" 2>/dev/null
  local ext="$PKI/$name.ext"
  printf 'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth,clientAuth\n' > "$ext"
  [ -n "$sans" ] && echo "subjectAltName=$sans" >> "$ext"
  openssl x509 -req -in "$PKI/$name.csr" -CA "$PKI/ca.crt" -CAkey "$PKI/ca.key" -CAcreateserial \
    -days 30 -extfile "$ext" -out "$PKI/$name.crt" 2>/dev/null
}

kubeconfig() { # kubeconfig NAME: a kubeconfig authenticating with PKI/NAME.crt
  local name="$1" server="https://$(host_ip):6443"
  cat > "$STATE/$name.kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: real-node
  cluster: {server: "$server", certificate-authority: "$PKI/ca.crt"}
users:
- name: $name
  user: {client-certificate: "$PKI/$name.crt", client-key: "$PKI/$name.key"}
contexts:
- name: real-node
  context: {cluster: real-node, user: $name}
current-context: real-node
EOF
}

preflight() {
  [ "$(id -u)" = 0 ] || skip "it needs root"
  local bin
  bin="$(scripts/node-binaries.sh | tail -n 1)" || exit $?
  for tool in runc containerd ctr docker-registry iptables openssl; do
    command -v "$tool" >/dev/null || skip "$tool is missing (scripts/node-binaries.sh installs it)"
  done
  [ -n "$(host_ip)" ] || skip "the machine has no IPv4 route for the API server's advertise address"
  echo "$bin"
}

up() {
  local bin ip
  bin="$(preflight)"
  ip="$(host_ip)"
  mkdir -p "$STATE"/{pids,logs,pki,etcd,registry,cni,containerd,kubelet,kwok}
  export PATH="$bin:$PATH"

  if [ ! -f "$PKI/ca.crt" ]; then
    openssl genrsa -out "$PKI/ca.key" 2048 2>/dev/null
    openssl req -x509 -new -key "$PKI/ca.key" -subj "/CN=wavegate-real-node-ca" -days 30 -out "$PKI/ca.crt" 2>/dev/null
    openssl genrsa -out "$PKI/sa.key" 2048 2>/dev/null
    openssl rsa -in "$PKI/sa.key" -pubout -out "$PKI/sa.pub" 2>/dev/null
  fi
  cert apiserver kube-apiserver "" "IP:10.96.0.1,IP:127.0.0.1,IP:$ip,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local"
  cert admin wavegate-real-node-admin system:masters
  cert apiserver-kubelet-client kube-apiserver-kubelet-client system:masters
  cert controller-manager system:kube-controller-manager ""
  cert scheduler system:kube-scheduler ""
  cert proxy system:kube-proxy ""
  cert kubelet "system:node:$NODE" system:nodes
  cert kubelet-serving "$NODE" "" "IP:$ip,IP:127.0.0.1,DNS:$NODE"
  for name in admin controller-manager scheduler proxy kubelet; do kubeconfig "$name"; done

  sysctl -qw net.ipv4.ip_forward=1 || skip "cannot enable IP forwarding (pods reach Services through it)"

  start etcd "$bin/etcd" --data-dir "$STATE/etcd" --listen-client-urls http://127.0.0.1:23790 \
    --advertise-client-urls http://127.0.0.1:23790 --listen-peer-urls http://127.0.0.1:23800 \
    --initial-advertise-peer-urls http://127.0.0.1:23800 --initial-cluster default=http://127.0.0.1:23800 \
    --quota-backend-bytes 2147483648
  local audit=()
  if [ -n "${WAVEGATE_AUDIT_LOG:-}" ]; then
    printf 'apiVersion: audit.k8s.io/v1\nkind: Policy\nomitStages: [RequestReceived]\nrules:\n- level: None\n  users: [system:apiserver]\n- level: Metadata\n' > "$STATE/audit-policy.yaml"
    audit=(--audit-policy-file "$STATE/audit-policy.yaml" --audit-log-path "$WAVEGATE_AUDIT_LOG" --audit-log-format json --audit-log-mode blocking)
  fi
  start kube-apiserver "$bin/kube-apiserver" --etcd-servers http://127.0.0.1:23790 \
    --bind-address 0.0.0.0 --secure-port 6443 --advertise-address "$ip" \
    --tls-cert-file "$PKI/apiserver.crt" --tls-private-key-file "$PKI/apiserver.key" \
    --client-ca-file "$PKI/ca.crt" --service-cluster-ip-range "$SERVICE_CIDR" \
    --service-account-issuer https://kubernetes.default.svc.cluster.local \
    --service-account-key-file "$PKI/sa.pub" --service-account-signing-key-file "$PKI/sa.key" \
    --authorization-mode Node,RBAC --enable-admission-plugins NodeRestriction \
    --kubelet-client-certificate "$PKI/apiserver-kubelet-client.crt" \
    --kubelet-client-key "$PKI/apiserver-kubelet-client.key" --kubelet-preferred-address-types InternalIP,Hostname \
    --allow-privileged=true "${audit[@]}"
  wait_for kube-apiserver 60 kubectl --kubeconfig "$STATE/admin.kubeconfig" get --raw /readyz

  start kube-controller-manager "$bin/kube-controller-manager" --kubeconfig "$STATE/controller-manager.kubeconfig" \
    --authentication-kubeconfig "$STATE/controller-manager.kubeconfig" \
    --authorization-kubeconfig "$STATE/controller-manager.kubeconfig" \
    --service-account-private-key-file "$PKI/sa.key" --root-ca-file "$PKI/ca.crt" \
    --use-service-account-credentials --leader-elect=false --bind-address 127.0.0.1 --secure-port 10257 \
    --cluster-signing-cert-file "$PKI/ca.crt" --cluster-signing-key-file "$PKI/ca.key" \
    --controllers '*,-nodeipam,-cloud-node-lifecycle,-service-lb-controller' --node-monitor-grace-period 40s
  start kube-scheduler "$bin/kube-scheduler" --kubeconfig "$STATE/scheduler.kubeconfig" \
    --authentication-kubeconfig "$STATE/scheduler.kubeconfig" --authorization-kubeconfig "$STATE/scheduler.kubeconfig" \
    --leader-elect=false --bind-address 127.0.0.1 --secure-port 10259

  cat > "$STATE/registry.yml" <<EOF
version: 0.1
log: {level: warn}
storage: {filesystem: {rootdirectory: "$STATE/registry"}, delete: {enabled: true}}
http: {addr: "$REGISTRY"}
EOF
  start registry docker-registry serve "$STATE/registry.yml"
  wait_for registry 20 curl -sf "http://$REGISTRY/v2/"

  cat > "$STATE/cni/10-wavegate.conflist" <<EOF
{"cniVersion": "0.4.0", "name": "wavegate-pods", "plugins": [
  {"type": "bridge", "bridge": "wgcni0", "isGateway": true, "ipMasq": true, "hairpinMode": true,
   "ipam": {"type": "host-local", "ranges": [[{"subnet": "$POD_CIDR"}]], "routes": [{"dst": "0.0.0.0/0"}]}},
  {"type": "portmap", "capabilities": {"portMappings": true}}]}
EOF
  cat > "$STATE/containerd.toml" <<EOF
version = 2
root = "$STATE/containerd/root"
state = "$STATE/containerd/state"
[grpc]
  address = "$CONTAINERD_SOCK"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$REGISTRY/wavegate/pause:local"
  # the sandbox has no CAP_SYS_RESOURCE to lower a process's OOM score below its own
  restrict_oom_score_adj = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "native"
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$STATE/cni"
  [plugins."io.containerd.grpc.v1.cri".registry.mirrors."$REGISTRY"]
    endpoint = ["http://$REGISTRY"]
EOF
  start containerd containerd --config "$STATE/containerd.toml"
  wait_for containerd 30 ctr_ version
  push_image "$(scripts/node-images.sh | tail -n 1)/pause.tar" wavegate/pause:local

  cat > "$STATE/kubelet.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
containerRuntimeEndpoint: unix://$CONTAINERD_SOCK
cgroupDriver: cgroupfs
cgroupsPerQOS: false
enforceNodeAllocatable: []
failSwapOn: false
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: "$PKI/ca.crt"}
authorization: {mode: Webhook}
tlsCertFile: "$PKI/kubelet-serving.crt"
tlsPrivateKeyFile: "$PKI/kubelet-serving.key"
clusterDomain: cluster.local
readOnlyPort: 0
serializeImagePulls: false
evictionHard: {memory.available: "100Mi", nodefs.available: "1%", imagefs.available: "1%", nodefs.inodesFree: "1%"}
podLogsDir: "$STATE/pod-logs"
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
EOF
  start kubelet "$bin/kubelet" --config "$STATE/kubelet.yaml" --kubeconfig "$STATE/kubelet.kubeconfig" \
    --root-dir "$STATE/kubelet" --hostname-override "$NODE" --node-ip "$ip" \
    --node-labels "wavegate.io/real-node=true"
  start kube-proxy "$bin/kube-proxy" --kubeconfig "$STATE/proxy.kubeconfig" --proxy-mode iptables \
    --cluster-cidr "$POD_CIDR" --hostname-override "$NODE" --conntrack-max-per-core 0 \
    --metrics-bind-address 127.0.0.1:10249 --healthz-bind-address 127.0.0.1:10256
  local kwok; kwok="$(scripts/kwok.sh 2>/dev/null | tail -n 1)"
  start kwok "$kwok" --kubeconfig "$STATE/admin.kubeconfig" --config "$(dirname "$kwok")/stages.yaml" \
    --manage-nodes-with-annotation-selector kwok.x-k8s.io/node=fake --node-lease-duration-seconds 40 \
    --server-address 127.0.0.1:0
  wait_for kubelet 90 kubectl --kubeconfig "$STATE/admin.kubeconfig" wait --for=condition=Ready "node/$NODE" --timeout=1s
  log "node $NODE is Ready; registry $REGISTRY; state in $STATE"
  echo "$STATE/admin.kubeconfig"
}

# push_image TAR NAME:TAG: import a docker-archive into containerd's build namespace and push it.
push_image() {
  local tar="$1" target="$REGISTRY/$2" source
  # the archive's own tag, as containerd names it on import (docker.io/library/ for a bare name)
  source="$(tar -xOf "$tar" manifest.json | grep -o '"RepoTags":\["[^"]*"' | cut -d'"' -f4)"
  case "$source" in */*/*|*.*/*) ;; */*) source="docker.io/$source" ;; *) source="docker.io/library/$source" ;; esac
  ctr_ -n wavegate-build images import --no-unpack "$tar" >/dev/null
  ctr_ -n wavegate-build images tag --force "$source" "$target" >/dev/null
  ctr_ -n wavegate-build images push --plain-http "$target" >/dev/null
  log "pushed $target"
}

down() {
  [ -d "$STATE" ] || { log "nothing to stop ($STATE does not exist)"; return; }
  for name in kwok kube-proxy kubelet kube-scheduler kube-controller-manager; do
    pid_alive "$name" && kill "$(cat "$STATE/pids/$name")" 2>/dev/null || true
  done
  if pid_alive containerd; then
    for task in $(ctr_ -n k8s.io tasks ls -q 2>/dev/null); do ctr_ -n k8s.io tasks kill -s SIGKILL "$task" 2>/dev/null || true; done
    sleep 1
    for task in $(ctr_ -n k8s.io tasks ls -q 2>/dev/null); do ctr_ -n k8s.io tasks rm -f "$task" >/dev/null 2>&1 || true; done
    kill "$(cat "$STATE/pids/containerd")" 2>/dev/null || true
  fi
  pkill -9 -f "containerd-shim.*$STATE" 2>/dev/null || true
  for name in registry kube-apiserver etcd; do
    pid_alive "$name" && kill "$(cat "$STATE/pids/$name")" 2>/dev/null || true
  done
  sleep 1
  for name in "$STATE"/pids/*; do [ -f "$name" ] && kill -9 "$(cat "$name")" 2>/dev/null || true; done
  grep -o " $STATE[^ ]*" /proc/mounts | sort -r | while read -r mount; do umount -l "$mount" 2>/dev/null || true; done
  local bin; bin="${KUBE_API_TEST_DIR:-$HOME/.kubeapitest}/k8s/${WAVEGATE_K8S_VERSION:-1.34.4}-linux-amd64"
  [ -x "$bin/kube-proxy" ] && "$bin/kube-proxy" --cleanup >/dev/null 2>&1 || true
  iptables -t nat -S 2>/dev/null | grep -q "CNI-" && iptables-save | grep -v -- "CNI-" | iptables-restore 2>/dev/null || true
  ip link del wgcni0 2>/dev/null || true
  rm -rf "$STATE"
  log "stopped; $STATE removed"
}

status() {
  for name in etcd kube-apiserver kube-controller-manager kube-scheduler registry containerd kubelet kube-proxy kwok; do
    if pid_alive "$name"; then echo "$name running (pid $(cat "$STATE/pids/$name"))"; else echo "$name stopped"; fi
  done
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  push) [ $# -eq 3 ] || { echo "usage: $0 push IMAGE.tar NAME:TAG" >&2; exit 2; }; push_image "$2" "$3" ;;
  *) echo "usage: $0 up|down|status|push IMAGE.tar NAME:TAG" >&2; exit 2 ;;
esac
