#!/usr/bin/env bash
# Single-thread descriptor and gallery timings by thread CPU time and wall clock (see CpuTimeProbe's javadoc).
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -B -ntp -q test-compile
./mvnw -B -ntp -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/jmh.classpath
exec java -Xmx3g -cp "target/test-classes:target/classes:$(cat target/jmh.classpath)" io.cropsearch.bench.CpuTimeProbe
