#!/usr/bin/env bash
# Measures the DESIGN targets at fleet scale against a local API server and prints [figure] lines,
# each beside the machine's own ceiling measured in the same run:
#   scripts/bench.sh [NODES] [BREACH_SAMPLES]      (defaults 5000 and 20; about 16 minutes on 2 cores)
# The operator runs as the packaged jar in a process of its own, configured as the chart configures it;
# this JVM holds the simulated fleet; every memory and CPU figure is printed per process.
# kwok keeps the nodes' Leases and status as kubelets do (WAVEGATE_BENCH_KWOK=0 runs without it).
# Figures only: nothing here passes or fails on a number. docs/benchmarks.md explains each figure.
set -euo pipefail
cd "$(dirname "$0")/.."
kwok=""
if [ "${WAVEGATE_BENCH_KWOK:-1}" != "0" ]; then
  kwok=$(scripts/kwok.sh | tail -1)
fi
JAVA_OPTS="-Xmx${WAVEGATE_BENCH_HEAP:-1g} -Dwavegate.kwok=$kwok ${JAVA_OPTS:-}" exec scripts/run-main.sh \
  io.wavegate.bench.FleetBenchmark "$@"
