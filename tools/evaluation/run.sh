#!/usr/bin/env bash
# Evaluates the embedded backend on the fixture crops: rank-1 FAST vs ACCURATE, distance distributions, EER.
#   tools/evaluation/run.sh [out.json]   markdown tables on stdout, numbers in target/evaluation/evaluation.json
#   tools/evaluation/run.sh --tuning     the comparison of candidate ACCURATE methods on the separate tuning variants
#   tools/evaluation/run.sh --tuning --report-set   the same comparison on the reported variants (for the record)
# Extra Maven flags (e.g. -o when offline) go in MVN_FLAGS.
set -euo pipefail
cd "$(dirname "$0")/../.."
mkdir -p target/evaluation
./mvnw -q -B -ntp ${MVN_FLAGS:-} test-compile
./mvnw -q -B -ntp ${MVN_FLAGS:-} dependency:build-classpath -Dmdep.outputFile=target/evaluation/classpath.txt \
  -Dmdep.includeScope=test
CP="target/test-classes:target/classes:$(cat target/evaluation/classpath.txt)"
# the engine's JUL logging goes to stderr; stdout stays pure markdown
if [ "${1:-}" = "--tuning" ]; then
  exec java -cp "$CP" io.cropsearch.embedded.AccurateTuning "${@:2}"
fi
exec java -cp "$CP" io.cropsearch.embedded.EvaluationHarness "${1:-target/evaluation/evaluation.json}"
