#!/usr/bin/env bash
# JMH: CPU cost per warm request of each step of body validation and of preparing the upstream body.
# Usage: tools/evidence/costs.sh     (one fork, 3 x 1 s warm-up, 5 x 1 s measurement per benchmark; about 1 min)
source "$(dirname "$0")/common.sh"
evidence_prepare
evidence_conditions
evidence_run RequestPathCosts
