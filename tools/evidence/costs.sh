#!/usr/bin/env bash
# JMH: CPU cost per warm request of each step of body validation and of preparing the upstream body.
# Usage: tools/evidence/costs.sh [JMH options]   (default: every benchmark, one fork, 3 x 1 s warm-up, 5 x 1 s
#        measurement each; about 2.5 min). JMH takes a machine-wide lock (/tmp/jmh.lock): it waits for no other JMH run.
source "$(dirname "$0")/common.sh"
evidence_prepare
evidence_conditions
evidence_run bench.RequestPathCosts -- "$@"
