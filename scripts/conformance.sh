#!/usr/bin/env bash
# The node contract's conformance kit: runs its scenarios (delivery, digest and signature refusals,
# revocation with and without a stable revision, self-revert after a reboot, disk faults, colliding
# names, no write at rest) against an agent started as a command, on a real API server with the chart
# installed. docs/node-contract.md#conformance-kit says what the command gets and must do.
#
#   scripts/conformance.sh                         # the project's own agent (agent/target/wavegate-agent.jar)
#   scripts/conformance.sh '/opt/sensor/bin/wavegate-agent --node "$NODE_NAME"'
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/kube-binaries.sh >/dev/null
helm="$(scripts/helm.sh | tail -n 1)"
args=(-B -ntp verify -pl e2e -am -Dtest=AgentConformanceTest -Dsurefire.failIfNoSpecifiedTests=false
  -Dwavegate.helm="$helm")
if [ $# -gt 0 ]; then
  args+=("-Dwavegate.conformance.agent=$1")
fi
exec ./mvnw "${args[@]}"
