#!/usr/bin/env bash
# Faults under load (HTTP path): the upstream stub goes healthy -> slow (past the FAST budget) -> failing (503) ->
# healthy while N emulated Lambda environments serve N paced callers. Checks every answer's time and status, and shows
# the circuit breaker opening and recovering.
# Usage: tools/evidence/faults.sh [environments]   (default 8)
source "$(dirname "$0")/common.sh"
evidence_prepare
evidence_conditions
evidence_run FaultsBench -Devidence.concurrency="${1:-8}"
