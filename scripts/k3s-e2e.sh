#!/usr/bin/env bash
# The k3s end-to-end suite (e2e K3sEndToEndTest) on a host with a running Docker engine:
# builds the operator and agent images into the local engine, then starts k3s with Testcontainers, loads the
# image into it, installs the chart with helm and runs rollouts against the real node.
#
#   scripts/k3s-e2e.sh                 image built by Jib (jib:dockerBuild)
#   scripts/k3s-e2e.sh --dockerfile    image built from the Dockerfile (docker build)
#
# Without Docker the same tests are skipped (with the reason) by the normal test command.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v docker >/dev/null || ! docker info >/dev/null 2>&1; then
  echo "scripts/k3s-e2e.sh needs a running Docker engine (docker info failed)" >&2
  exit 1
fi
tag="$(./mvnw -q -N help:evaluate -Dexpression=wavegate.image.tag -DforceStdout)"
image="$(./mvnw -q -N help:evaluate -Dexpression=wavegate.image.repository -DforceStdout):$tag"
agent_image="$(./mvnw -q -N help:evaluate -Dexpression=wavegate.agent.image.repository -DforceStdout):$tag"
helm="$(scripts/helm.sh | tail -n 1)"

if [ "${1:-}" = "--dockerfile" ]; then
  docker build --target operator -t "$image" .
  docker build --target agent -t "$agent_image" .
else
  ./mvnw -B -ntp -pl operator,agent -am package jib:dockerBuild -DskipTests
fi
echo "[k3s-e2e] images $image and $agent_image built; running the suite" >&2
exec ./mvnw -B -ntp -pl e2e -am verify -Dtest=K3sEndToEndTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dwavegate.helm="$helm"
