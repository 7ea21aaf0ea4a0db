#!/usr/bin/env bash
# Long chaos soak: many seeds of randomized faults against a real API server with the real agents
# (operator and kube-apiserver restarts, nodes down, rebooting, deleted and joining, silent agents,
# spec edits). Prints the figures: seeds and outcomes, faults injected per kind, invariant violations
# (must be 0), worst breach-to-action time. docs/chaos.md explains each.
#   scripts/chaos-soak.sh [SEEDS] [FAULTS_PER_SEED] [FIRST_SEED]
set -euo pipefail
cd "$(dirname "$0")/.."
seeds="${1:-30}"
faults="${2:-40}"
first="${3:-1}"
scripts/kube-binaries.sh >/dev/null
helm="$(scripts/helm.sh | tail -n 1)"
./mvnw -B -ntp -q install -DskipTests
log="$(mktemp -t wavegate-chaos.XXXXXX.log)"
if ./mvnw -B -ntp -pl e2e verify -Dwavegate.helm="$helm" -Dtest=ChaosTest -Dsurefire.failIfNoSpecifiedTests=false \
    -Dwavegate.chaos.seeds="$seeds" -Dwavegate.chaos.faults="$faults" -Dwavegate.chaos.firstSeed="$first" >"$log" 2>&1; then
  status=0
else
  status=1
fi
grep -E '^\[chaos\]|Tests run:.*ChaosTest|FAIL|violations, seed' "$log" || true
echo "full log: $log"
exit "$status"
