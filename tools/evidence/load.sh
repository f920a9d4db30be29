#!/usr/bin/env bash
# Bounded load run: N emulated Lambda environments (N processes under the real runtime interface client) and
# N closed-loop callers; 50 ms upstream stub. Prints throughput, latency percentiles, statuses, RSS and heap.
# Usage: tools/evidence/load.sh [requests] [concurrency]   (defaults 20000 and 32)
# EVIDENCE_JTO sets the function's JAVA_TOOL_OPTIONS (default empty).
source "$(dirname "$0")/common.sh"
evidence_prepare
evidence_conditions
evidence_run LoadBench -Devidence.requests="${1:-20000}" -Devidence.concurrency="${2:-32}" \
  -Devidence.javaToolOptions="${EVIDENCE_JTO:-}"
