#!/usr/bin/env bash
# Function overhead over a direct call to the same 50 ms upstream stub, side by side, JVM warm.
# Usage: tools/evidence/overhead.sh [warmup-pairs] [measured-pairs]   (defaults 800 and 1500)
# EVIDENCE_JTO sets the function's JAVA_TOOL_OPTIONS (default empty: the JVM's default tiered compilation).
source "$(dirname "$0")/common.sh"
evidence_prepare
evidence_conditions
evidence_run OverheadBench -Devidence.warmup="${1:-800}" -Devidence.pairs="${2:-1500}" \
  -Devidence.javaToolOptions="${EVIDENCE_JTO:-}"
