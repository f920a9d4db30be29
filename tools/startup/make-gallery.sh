#!/usr/bin/env bash
# Writes a synthetic embedded gallery of N persons (default 10,000) for the start-up measurements:
#   tools/startup/make-gallery.sh [persons] [out.json]     (default target/evidence/gallery-<persons>.json)
# Each person: one image's FAST and ACCURATE descriptors, a 64x64 JPEG thumbnail, two of ten collections
# (io.cropsearch.embedded.GalleryGenerator, seeded: the same file every time).
source "$(dirname "$0")/../evidence/common.sh"
evidence_prepare
persons="${1:-10000}"
out="${2:-$EV/gallery-$persons.json}"
evidence_run io.cropsearch.embedded.GalleryGenerator -- "$out" "$persons"
