#!/usr/bin/env bash
# How the cost of one decision grows with the fleet, with no API server (docs/benchmarks.md#how-decision-cost-grows):
#   scripts/bench-decide.sh [SIZES] [ROLLOUT_COUNTS] [OUT_DIR]
#   (defaults 1000,5000,20000,100000 and 1,10,50; about 2 minutes per rollout count on 2 cores)
# Prints [figure] lines and a Markdown table; writes the table and an SVG chart to OUT_DIR
# (default e2e/target/decision-benchmark). Figures only: nothing passes or fails on a number.
set -euo pipefail
cd "$(dirname "$0")/.."
JAVA_OPTS="-Xmx${WAVEGATE_BENCH_HEAP:-8g} -XX:+UseParallelGC ${JAVA_OPTS:-}" exec scripts/run-main.sh \
  io.wavegate.bench.DecisionBenchmark "$@"
