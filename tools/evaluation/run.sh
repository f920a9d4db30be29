#!/usr/bin/env bash
# Runs the embedded backend's evaluation (rank-1 FAST vs ACCURATE, distance distributions, EER) on the fixture crops.
# Prints markdown tables; writes the numbers to target/evaluation/evaluation.json (or the path given as $1).
# Extra Maven flags (e.g. -o for offline) can be passed in MVN_FLAGS.
set -euo pipefail
cd "$(dirname "$0")/../.."
mkdir -p target/evaluation
./mvnw -q -B -ntp ${MVN_FLAGS:-} test-compile
./mvnw -q -B -ntp ${MVN_FLAGS:-} dependency:build-classpath -Dmdep.outputFile=target/evaluation/classpath.txt \
  -Dmdep.includeScope=test
exec java -Xss4m -cp "target/test-classes:target/classes:$(cat target/evaluation/classpath.txt)" \
  io.cropsearch.embedded.EvaluationHarness "${1:-target/evaluation/evaluation.json}"
