#!/usr/bin/env bash
# The test command: provisions the Kubernetes test binaries (cached after the first run), then
# builds everything and runs every test, the real-API-server suites included.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/kube-binaries.sh >/dev/null
exec ./mvnw -B -ntp verify "$@"
