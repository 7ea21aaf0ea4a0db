#!/usr/bin/env bash
# The test command: provisions the Kubernetes test binaries, Helm, Prometheus, the OCI registry and
# cosign (cached after the first run), and headless Chromium where it can, then builds everything and runs every test, the real-API-server suites included.
#
# As root on Linux it also provisions the real-node tier (docs/real-node.md): the node binaries and
# packages, and the base images; Maven then builds the operator and agent images as tarballs and
# RealNodeTest runs them as pods on a kubelet. Elsewhere that tier is skipped, with the reason.
# WAVEGATE_REAL_NODE=skip skips it on purpose.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/kube-binaries.sh >/dev/null
helm="$(scripts/helm.sh | tail -n 1)"
prometheus="$(scripts/prometheus.sh | tail -n 1)"
registry="$(scripts/registry.sh | tail -n 1)"
cosign="$(scripts/cosign.sh | tail -n 1)"

# the dashboard's browser tests: Debian's headless Chromium, installed where it can be (root, apt-get)
set +e
browser="$(scripts/chromium.sh | tail -n 1)"
browser_code=$?
set -e
if [ $browser_code -eq 0 ]; then
  browser_args=("-Dwavegate.chromium=$browser/chromium" "-Dwavegate.chromedriver=$browser/chromedriver")
else
  echo "[test] browser tests skipped: $browser" >&2
  browser_args=("-Dwavegate.chromium.skipped=$browser")
fi

real_node=(-Dwavegate.realNode=false)
if [ "${WAVEGATE_REAL_NODE:-}" = skip ]; then
  real_node+=("-Dwavegate.realNode.skipped=WAVEGATE_REAL_NODE=skip")
else
  start=$SECONDS
  progress="$(mktemp)"
  set +e
  scripts/node-binaries.sh 2>&1 >/dev/null | tee "$progress" >&2
  code=${PIPESTATUS[0]}
  set -e
  why="$(tail -n 1 "$progress")"
  rm -f "$progress"
  if [ $code -eq 0 ]; then
    images="$(scripts/node-images.sh | tail -n 1)"
    real_node=(-Dwavegate.realNode=true "-Dwavegate.image.base=tar://$images/operator-base.tar"
      "-Dwavegate.agent.image.base=tar://$images/agent-base.tar")
    echo "[test] real-node tier provisioned in $((SECONDS - start)) s" >&2
  elif [ $code -eq 3 ]; then
    echo "[test] real-node tier skipped: $why" >&2
    real_node+=("-Dwavegate.realNode.skipped=$why")
  else
    echo "[test] provisioning the real-node tier failed: $why" >&2
    exit 1
  fi
fi
exec ./mvnw -B -ntp verify -Dwavegate.helm="$helm" -Dwavegate.prometheus="$prometheus" -Dwavegate.registry="$registry" -Dwavegate.cosign="$cosign" "${browser_args[@]}" "${real_node[@]}" "$@"
