#!/usr/bin/env bash
# Measures the OCI content figures against a real registry (docs/benchmarks.md, "OCI content"), each
# beside the machine's own limit measured in the same run, and prints [figure] lines:
#   - the gate on a 256 MiB layer against the machine's plain sha256 speed and the registry's download;
#   - the node agent's peak resident memory pulling 256 MiB against after a 1 KiB delivery;
#   - 200 nodes pulling through the registry under maxConcurrentPulls 20: the peak concurrent pulls the
#     registry served, and the rollout's time beside the registry's own time for the same pulls.
#   scripts/bench-oci.sh            (about 3 minutes; figures only, nothing passes or fails on a number)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/kube-binaries.sh >/dev/null
helm="$(scripts/helm.sh | tail -n 1)"
registry="$(scripts/registry.sh | tail -n 1)"
./mvnw -B -ntp -q install -DskipTests
run() {
  ./mvnw -B -ntp -o -q -pl e2e verify -Dwavegate.helm="$helm" -Dwavegate.registry="$registry" \
    -Dsurefire.failIfNoSpecifiedTests=false "$@" 2>&1 | grep '\[figure\]' || { echo "a benchmark run failed" >&2; exit 1; }
}
run -Dtest=OciBenchmark "-Dwavegate.bench.nodes=${WAVEGATE_BENCH_NODES:-200}" "-Dwavegate.bench.pullCap=${WAVEGATE_BENCH_PULL_CAP:-20}"
run '-Dtest=AgentJarTest#pullsOciContentFarAboveItsHeapFromARealRegistryAndPrintsItsMemory' \
  "-Dwavegate.bench.ociBytes=$((256 * 1024 * 1024))"
