#!/usr/bin/env bash
# Shared set-up for the evidence harnesses (sourced by startup.sh, overhead.sh, load.sh, faults.sh).
# Builds the function (target/function.zip) and the harness classes, unzips the function into
# target/evidence/function, fetches the AWS runtime interface client and its dependencies into target/evidence/ric
# (not a project dependency), and writes the test class path. Set EVIDENCE_REBUILD=1 to force a new package.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
EV="$ROOT/target/evidence"
mkdir -p "$EV"
MVN="./mvnw -B -ntp -q"

RIC_ARTIFACTS=(
  com.amazonaws:aws-lambda-java-runtime-interface-client:2.10.1
  com.amazonaws:aws-lambda-java-core:1.4.0
  com.amazonaws:aws-lambda-java-serialization:1.2.0
  software.amazon.awssdk:utils-lite:2.34.0
  software.amazon.awssdk:annotations:2.34.0
)

evidence_prepare() {
  local newest_src
  newest_src=$(find src/main pom.xml -type f -newer target/function.zip 2>/dev/null | head -1 || true)
  if [[ "${EVIDENCE_REBUILD:-0}" == 1 || ! -f target/function.zip || -n "$newest_src" ]]; then
    echo "== ./mvnw -B -ntp package -DskipTests" >&2
    ./mvnw -B -ntp -q package -DskipTests >&2
    rm -rf "$EV/function"
    touch "$EV/.test-compiled"
  fi
  if [[ ! -f "$EV/.test-compiled" || -n "$(find src/test -type f -newer "$EV/.test-compiled" | head -1)" ]]; then
    echo "== ./mvnw -B -ntp test-compile" >&2
    $MVN test-compile >&2
    touch "$EV/.test-compiled"
  fi
  if [[ ! -d "$EV/function" ]]; then
    mkdir -p "$EV/function"
    (cd "$EV/function" && unzip -q "$ROOT/target/function.zip")
  fi
  if [[ ! -f "$EV/ric/.done" ]]; then
    mkdir -p "$EV/ric"
    for a in "${RIC_ARTIFACTS[@]}"; do
      $MVN dependency:copy -Dartifact="$a" -DoutputDirectory="$EV/ric" >&2
    done
    # Several environments on one machine must not share the client's fixed /tmp/.libaws-lambda-jni.so (on Lambda
    # each environment has its own /tmp): the fleet harnesses load this pre-extracted copy instead.
    mkdir -p "$EV/ric-jni"
    unzip -p "$EV/ric/aws-lambda-java-runtime-interface-client-2.10.1.jar" jni/libaws-lambda-jni.linux-x86_64.so \
      > "$EV/ric-jni/libaws-lambda-jni.so"
    touch "$EV/ric/.done"
  fi
  if [[ ! -f "$EV/test-classpath.txt" || pom.xml -nt "$EV/test-classpath.txt" ]]; then
    $MVN dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$EV/test-classpath.txt" >&2
  fi
}

# evidence_run <main class name under io.cropsearch.evidence, or a fully qualified one> [-Dprop=value ...]
#              [-- program arguments ...]
# EVIDENCE_JAVA=<java binary> runs the function processes on that JDK (e.g. Temurin 25) instead of the harness's.
evidence_run() {
  local main="$1"; shift
  [[ "$main" == *.* ]] || main="io.cropsearch.evidence.$main"
  local props=() args=()
  while [[ $# -gt 0 ]]; do
    if [[ "$1" == -- ]]; then shift; args=("$@"); break; fi
    props+=("$1"); shift
  done
  local java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
  "$java" -Xms256m -Xmx1g -XX:+UseParallelGC -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
    ${EVIDENCE_JAVA:+-Devidence.java="$EVIDENCE_JAVA"} -Devidence.function.dir="$EV/function" -Devidence.ric.dir="$EV/ric" -Devidence.ric.jni="$EV/ric-jni/libaws-lambda-jni.so" \
    -cp "$ROOT/target/test-classes:$ROOT/target/classes:$(cat "$EV/test-classpath.txt")" \
    ${props[@]+"${props[@]}"} "$main" ${args[@]+"${args[@]}"}
}

evidence_conditions() {
  echo "# $(date -u +%FT%TZ) host: nproc=$(nproc) $(uname -sr) loadavg=[$(cat /proc/loadavg)]"
  echo "# java: $(java -version 2>&1 | head -2 | tr '\n' ' ')${EVIDENCE_JAVA:+; function JVM: $("$EVIDENCE_JAVA" -version 2>&1 | sed -n 2p)}"
  echo "# git: $(git rev-parse --short HEAD) $(git status --porcelain | wc -l) uncommitted paths"
}
