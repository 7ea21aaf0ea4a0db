#!/usr/bin/env bash
# The one-command demo: an embedded API server, the operator, 30 simulated nodes running the real
# agent, and three rollouts (good, all-zero, crashing). Options: --short (short bakes), --keep
# (leave the cluster running and print a kubeconfig to use with kubectl).
set -euo pipefail
exec "$(dirname "$0")/run-main.sh" io.wavegate.demo.Demo "$@"
