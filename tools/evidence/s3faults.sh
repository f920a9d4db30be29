#!/usr/bin/env bash
# Faults under load, S3 path: N uploads while the upstream fails half the time (2 s up / 2 s down); Lambda-style
# retries and on-failure redrives; then exactly N result records must exist, none doubled, none lost.
# Needs node/npm (dynalite, installed by the test helper on first use) and target/test-servers/s3proxy.jar
# (copied by ./mvnw test-compile).
# Usage: tools/evidence/s3faults.sh [uploads] [environments]   (defaults 60 and 4)
source "$(dirname "$0")/common.sh"
evidence_prepare
[[ -f target/test-servers/s3proxy.jar ]] || ./mvnw -B -ntp -q process-test-resources >&2
evidence_conditions
evidence_run S3FaultsBench -Devidence.uploads="${1:-60}" -Devidence.concurrency="${2:-4}"
