#!/usr/bin/env bash
# Runs the engine's JMH benchmarks (src/test/java/io/cropsearch/bench) from the test classpath.
#   tools/bench/run-jmh.sh                         # all of them, with the settings in the annotations
#   tools/bench/run-jmh.sh DescriptorBenchmark     # any org.openjdk.jmh.Main arguments: a regexp, -p size=1000000, ...
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -B -ntp -q test-compile
./mvnw -B -ntp -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/jmh.classpath
CP="target/test-classes:target/classes:$(cat target/jmh.classpath)"
if [ "$#" -eq 0 ]; then set -- 'io\.cropsearch\.bench\..*'; fi
exec java -cp "$CP" org.openjdk.jmh.Main "$@"
