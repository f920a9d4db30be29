#!/usr/bin/env bash
# Cold start of the packaged function under the real AWS runtime interface client and a local Runtime API emulator.
# Usage: tools/evidence/startup.sh [runs] [-Dprop=value ...]   (default 5 runs per variant; logs in target/evidence/startup/)
#   EVIDENCE_VARIANTS='name=JAVA_TOOL_OPTIONS;...' (`@template` stands for infra/template-jvm.yaml's JAVA_TOOL_OPTIONS),
#   EVIDENCE_JAVA=<java> (the function's JDK), and properties such as -Devidence.env.<variant>=K=V,K=V,
#   -Devidence.appcds=false, -Devidence.jfr=false, -Devidence.image=<crop>: see StartupBench. tools/startup/bench.sh
#   runs the comparisons in BENCHMARKS.md ("Start-up on Java 25").
source "$(dirname "$0")/common.sh"
evidence_prepare
evidence_conditions
runs="${1:-5}"; shift || true
evidence_run StartupBench -Devidence.runs="$runs" ${EVIDENCE_VARIANTS:+-Devidence.variants="$EVIDENCE_VARIANTS"} "$@"
