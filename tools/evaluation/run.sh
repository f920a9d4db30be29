#!/usr/bin/env bash
# Evaluates the embedded backend on real photos (src/test/resources/engine/eval, tools/reference/make-eval.js):
# FAST and ACCURATE against the old pipeline and face-api.js's own full pipeline; rank-1, true/false accept rates at
# 0.6/0.7/0.75/0.8, EER, and the no-face probes. docs/EMBEDDED.md explains the protocol.
#   tools/evaluation/run.sh [out.json]   markdown tables on stdout, numbers in target/evaluation/evaluation.json
# Extra Maven flags (e.g. -o when offline) go in MVN_FLAGS.
set -euo pipefail
cd "$(dirname "$0")/../.."
mkdir -p target/evaluation
./mvnw -q -B -ntp ${MVN_FLAGS:-} test-compile
./mvnw -q -B -ntp ${MVN_FLAGS:-} dependency:build-classpath -Dmdep.outputFile=target/evaluation/classpath.txt \
  -Dmdep.includeScope=test
CP="target/test-classes:target/classes:$(cat target/evaluation/classpath.txt)"
# the engine's JUL logging goes to stderr; stdout stays pure markdown
exec java -cp "$CP" io.cropsearch.embedded.EvaluationHarness "${1:-target/evaluation/evaluation.json}"
