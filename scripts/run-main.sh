#!/usr/bin/env bash
# Provisions the Kubernetes test binaries, builds, and runs a main class of the e2e module (the demo,
# the benchmark) on its runtime classpath: scripts/run-main.sh CLASS [ARGS...]. JAVA_OPTS is passed to java.
set -euo pipefail
cd "$(dirname "$0")/.."
main_class=$1
shift
scripts/kube-binaries.sh >/dev/null
helm="$(scripts/helm.sh | tail -n 1)" # the demo installs the chart with it
echo "building (first time takes a minute)..." >&2
# shellcheck disable=SC2086
./mvnw -q -B -ntp -DskipTests install ${WAVEGATE_BUILD_ARGS:-}
./mvnw -q -B -ntp -pl e2e dependency:build-classpath -Dmdep.outputFile=target/demo-classpath.txt -Dmdep.includeScope=runtime
# shellcheck disable=SC2086
exec java ${JAVA_OPTS:-} -Dlogback.configurationFile=logback-demo.xml -Dwavegate.root="$PWD" -Dwavegate.helm="$helm" \
  -cp "e2e/target/classes:$(cat e2e/target/demo-classpath.txt)" "$main_class" "$@"
