#!/usr/bin/env bash
# Evaluates the embedded backend on whole photos through the HTTP endpoints (PhotoEvaluationTest, a @QuarkusTest):
# face-api.js's eight people enrolled from photo 1 through the persons API, the other photos verified and compared
# (and searched and detected where the function serves /search and /detect). docs/EMBEDDED.md, "Whole photos through
# the endpoints", explains the protocol.
#   tools/evaluation/photos.sh    markdown tables on stdout, numbers in target/evaluation/photos.json
# Extra Maven flags (e.g. -o when offline) go in MVN_FLAGS. The test's asserted floors decide the exit status.
set -euo pipefail
cd "$(dirname "$0")/../.."
rm -f target/evaluation/photos.md target/evaluation/photos.json
# Only surefire's default execution: "-Dtest" also overrides the includes of the pom's "fuzz" execution, which would
# run the evaluation a second time. The test's log (Quarkus start-up, the engine) goes to stderr.
status=0
./mvnw -q -B -ntp ${MVN_FLAGS:-} test-compile surefire:test@default-test -Dtest=PhotoEvaluationTest \
  -Dsurefire.failIfNoSpecifiedTests=false >&2 || status=$?
if [ -f target/evaluation/photos.md ]; then
  cat target/evaluation/photos.md
fi
exit "$status"
