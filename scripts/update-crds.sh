#!/usr/bin/env bash
# Regenerates crds/ from the Java model (operator/src/main/java/io/wavegate/api) after an API change.
# The build fails while the committed CRD differs from the generated one.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -ntp -q -pl operator -Dwavegate.updateCrds=true process-classes
git --no-pager diff --stat -- crds/ || true
