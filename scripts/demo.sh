#!/usr/bin/env bash
# The one-command demo: an embedded API server, the operator, 30 simulated nodes running the real
# agent, and three rollouts (good, all-zero, crashing). Options: --short (short bakes), --keep
# (leave the cluster running and print a kubeconfig to use with kubectl), --oci (a fourth rollout: a
# 16 MiB channel file from an OCI registry on loopback, scripts/registry.sh, pulled by digest).
#
# --real-node plays the same three rollouts on the real-node tier (docs/real-node.md), as root: the
# chart installed with helm on a kubelet of this machine, the operator and agent as pods from images
# built here, a sensor pod that really crashes, 29 kwok nodes beside it.
set -euo pipefail
cd "$(dirname "$0")/.."
for arg in "$@"; do
  if [ "$arg" = --real-node ]; then
    scripts/node-binaries.sh >/dev/null || { echo "DEMO SKIPPED: the real-node tier cannot run here (above)" >&2; exit 3; }
    images="$(scripts/node-images.sh | tail -n 1)"
    export WAVEGATE_BUILD_ARGS="-Dwavegate.realNode=true -Dwavegate.image.base=tar://$images/operator-base.tar -Dwavegate.agent.image.base=tar://$images/agent-base.tar"
    export JAVA_OPTS="${JAVA_OPTS:-} -Dwavegate.realNode=true"
  fi
done
exec scripts/run-main.sh io.wavegate.demo.Demo "$@"
