#!/usr/bin/env bash
# The one-command demo: an embedded API server, the operator, 30 simulated nodes running the real
# agent, and three rollouts (good, all-zero, crashing). Options: --short (short bakes), --keep
# (leave the cluster running and print a kubeconfig to use with kubectl).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/kube-binaries.sh >/dev/null
echo "building (first time takes a minute)..." >&2
./mvnw -q -B -ntp -DskipTests install
./mvnw -q -B -ntp -pl e2e dependency:build-classpath -Dmdep.outputFile=target/demo-classpath.txt -Dmdep.includeScope=runtime
exec java -Dlogback.configurationFile=logback-demo.xml -Dwavegate.root="$PWD" \
  -cp "e2e/target/classes:$(cat e2e/target/demo-classpath.txt)" io.wavegate.demo.Demo "$@"
