#!/bin/bash
# Measures what the engine's weights cost a native image in the heap vs loaded at run time (WeightsCost.java).
# usage: tools/native/weights-cost.sh [runs]   (after ./mvnw compile)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
[ -d target/classes/io/cropsearch/engine ] || ./mvnw -q -B -ntp compile
./mvnw -q -B -ntp dependency:build-classpath -Dmdep.outputFile=target/weights-cost.classpath >/dev/null
for _ in $(seq "${1:-3}"); do
  java -cp "target/classes:$(cat target/weights-cost.classpath)" tools/native/WeightsCost.java src/main/resources/engine
done
