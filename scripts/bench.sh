#!/usr/bin/env bash
# Measures the DESIGN targets at fleet scale against a local API server and prints [figure] lines:
#   scripts/bench.sh [NODES] [BREACH_SAMPLES]      (defaults 5000 and 20; about 8 minutes on 2 cores)
# Figures only: nothing here passes or fails on a number. docs/benchmarks.md explains each figure.
set -euo pipefail
JAVA_OPTS="-Xmx1g ${JAVA_OPTS:-}" exec "$(dirname "$0")/run-main.sh" io.wavegate.bench.FleetBenchmark "$@"
