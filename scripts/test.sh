#!/usr/bin/env bash
# The test command: provisions the Kubernetes test binaries, Helm and Prometheus (cached after the
# first run), then builds everything and runs every test, the real-API-server suites included.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/kube-binaries.sh >/dev/null
helm="$(scripts/helm.sh | tail -n 1)"
prometheus="$(scripts/prometheus.sh | tail -n 1)"
exec ./mvnw -B -ntp verify -Dwavegate.helm="$helm" -Dwavegate.prometheus="$prometheus" "$@"
