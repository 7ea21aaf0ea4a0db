#!/usr/bin/env bash
# Regenerates crds/ and the chart's copy (helm/wavegate/crds/) from the Java model
# (operator/src/main/java/io/wavegate/api) after an API change.
# The build fails while either committed CRD differs from the generated one.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -ntp -q -pl operator -am -Dwavegate.updateCrds=true process-classes
git --no-pager diff --stat -- crds/ helm/wavegate/crds/ || true
