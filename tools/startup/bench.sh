#!/usr/bin/env bash
# The start-up figures of BENCHMARKS.md ("Start-up on Java 25"), under the real AWS runtime interface client on
# Temurin 25 (Lambda's java25 runtime is Corretto 25, not available here):
#   tools/startup/bench.sh [runs]            (default 6 runs per variant in part 1, 3 in part 3)
# 1. A plain start against the start with the template's JAVA_TOOL_OPTIONS for the Verifik backend (the cache that
#    tools/startup/aot-cache.sh trains into target/function.zip, and -XX:TieredStopAtLevel=1), and each of the two
#    alone (upstream stub answering at once), alternating run by run. C1 alone is also what Lambda's java25 runtime
#    runs by default on demand (docs/DEPLOY.md).
# 2. A cache that cannot be used only costs speed: missing, truncated, and one written by another JDK (17); each
#    variant must answer its searches (StartupBench fails otherwise).
# 3. Init and first request per backend (each with the template's settings for it): Verifik; embedded with an empty
#    gallery; embedded with a 10,000-person gallery file (tools/startup/make-gallery.sh), its load left to the first
#    search and preloaded; that last one also plain (no JAVA_TOOL_OPTIONS) and with C1 only (what C1 costs its searches).
# 4. The embedded backend's target: plain against the template's settings for it (its own cache and C2 for the face
#    engine alone), each part alone, and the cache with C1 for everything (how far JIT settings can go), with an
#    empty gallery and with the 10,000-person gallery preloaded, alternating run by run.
# Logs: target/evidence/startup/; summaries on stdout.
set -euo pipefail
source "$(dirname "$0")/../evidence/common.sh"
runs="${1:-6}"
export EVIDENCE_JAVA="${EVIDENCE_JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}"
evidence_prepare
if ! unzip -l target/function.zip | grep -q 'aot/crop-search-embedded.aot'; then
  "$ROOT/tools/startup/aot-cache.sh" >&2
  evidence_prepare
fi
[[ -f "$EV/gallery-10000.json" ]] || "$ROOT/tools/startup/make-gallery.sh" 10000 >&2
bad="$EV/startup-bad-caches"
mkdir -p "$bad"
head -c 4000000 "$EV/function/aot/crop-search.aot" > "$bad/truncated.aot"
rm -f "$bad/jdk17.jsa"
java -XX:ArchiveClassesAtExit="$bad/jdk17.jsa" -version >/dev/null 2>&1
common=(-Devidence.appcds=false -Devidence.jfr=false)
evidence_conditions

echo "## 1. plain vs the template's settings (Verifik backend: the AOT cache and C1) and each part alone ($runs runs each, alternating)"
fn="$EV/function"
# The caches are written with the templates' module option and are used only with it (docs/DEPLOY.md).
opens="--add-opens=java.base/java.lang=ALL-UNNAMED"
EVIDENCE_VARIANTS="plain=;template=@template;cache=-XX:SharedArchiveFile=$fn/aot/crop-search.aot $opens;c1=-XX:TieredStopAtLevel=1" \
  "$ROOT/tools/evidence/startup.sh" "$runs" "${common[@]}"

echo "## 2. unusable caches: each must still start and answer"
EVIDENCE_VARIANTS="missing=-XX:SharedArchiveFile=$bad/missing.aot;truncated=-XX:SharedArchiveFile=$bad/truncated.aot;other-jdk=-XX:SharedArchiveFile=$bad/jdk17.jsa" \
  "$ROOT/tools/evidence/startup.sh" 1 "${common[@]}"

echo "## 3. backends (template settings; a real face crop, no collection: the embedded backend searches its whole gallery)"
embedded="SEARCH_BACKEND=embedded,API_GUARDED_BY_AUTHORIZER=true"
EVIDENCE_VARIANTS="verifik=@template;embedded-empty=@template-embedded;embedded-10k-lazy=@template-embedded;embedded-10k=@template-embedded;embedded-10k-plain=;embedded-10k-c1=@template-embedded -XX:TieredStopAtLevel=1" \
  "$ROOT/tools/evidence/startup.sh" "$(( runs / 2 ))" "${common[@]}" \
  -Devidence.image="$ROOT/src/test/resources/engine/crops/sample1-face1.png" -Devidence.collection= \
  -Devidence.env.embedded-empty="$embedded,GALLERY_FILE=$EV/startup/no-gallery.json" \
  -Devidence.env.embedded-10k-lazy="$embedded,GALLERY_FILE=$EV/gallery-10000.json,CROP_SEARCH_EMBEDDED_PRELOAD_GALLERY=false" \
  -Devidence.env.embedded-10k="$embedded,GALLERY_FILE=$EV/gallery-10000.json" \
  -Devidence.env.embedded-10k-plain="$embedded,GALLERY_FILE=$EV/gallery-10000.json" \
  -Devidence.env.embedded-10k-c1="$embedded,GALLERY_FILE=$EV/gallery-10000.json"

echo "## 4. the embedded backend: plain vs the template's settings for it, each part alone, and the cache with C1 everywhere ($runs runs each, alternating)"
directives="-XX:+UnlockDiagnosticVMOptions -XX:CompilerDirectivesFile=$fn/jvm/compiler-directives.json"
ecache="-XX:SharedArchiveFile=$fn/aot/crop-search-embedded.aot $opens"
for gallery in "$EV/startup/no-gallery.json" "$EV/gallery-10000.json"; do
  echo "### GALLERY_FILE=$gallery"
  env="$embedded,GALLERY_FILE=$gallery"
  EVIDENCE_VARIANTS="plain=;template=@template-embedded;cache=$ecache;directives=$directives;cache-c1=$ecache -XX:TieredStopAtLevel=1" \
    "$ROOT/tools/evidence/startup.sh" "$runs" "${common[@]}" \
    -Devidence.image="$ROOT/src/test/resources/engine/crops/sample1-face1.png" -Devidence.collection= \
    -Devidence.env.plain="$env" -Devidence.env.template="$env" -Devidence.env.cache="$env" \
    -Devidence.env.directives="$env" -Devidence.env.cache-c1="$env"
done
