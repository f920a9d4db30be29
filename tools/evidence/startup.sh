#!/usr/bin/env bash
# Cold start of the packaged function under the real AWS runtime interface client and a local Runtime API emulator.
# Usage: tools/evidence/startup.sh [runs]      (default 5 runs per variant; logs in target/evidence/startup/)
source "$(dirname "$0")/common.sh"
evidence_prepare
evidence_conditions
evidence_run StartupBench -Devidence.runs="${1:-5}" ${EVIDENCE_VARIANTS:+-Devidence.variants="$EVIDENCE_VARIANTS"}
