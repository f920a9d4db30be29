#!/bin/bash
# Runs the real GraalVM native-image builder over this application, as far as this kind of machine allows, through
# Quarkus's own native build: `./mvnw package -Pnative -Dquarkus.native.graalvm-home=<dir>` where <dir>/bin/native-image
# is tools/native/native-image, a stand-in for GraalVM's driver that starts the builder (svm 25.0.4 jars from Maven
# Central) on Temurin 25. No GraalVM or Mandrel distribution can be had here, and the C static libraries the final
# link needs (JDK static libs, svm's own C helpers) are in no registry reachable here: the builder is told to stop
# after writing the relocatable object file (-H:+ExitAfterRelocatableImageWrite), and the link is reported NOT RUN.
#
# usage: tools/native/check.sh [--summary LOG]
#   (no argument)   fetch the builder jars, set up, build, print the summary; exit 0 only if every step that ran passed
#   --summary LOG   print the summary of an earlier run's log (target/native-check/check.log) without building
# env: JAVA25_HOME (default /usr/lib/jvm/temurin-25-jdk-amd64), NATIVE_CHECK_XMX (builder heap, default 6g),
#      NATIVE_CHECK_THREADS (builder threads, default 2), NATIVE_CHECK_MVN_ARGS (extra Maven arguments)
# Slow: 7 minutes of builder time on 2 idle cores, 34 on busy ones; ~4 GB for the builder, ~1 GB for Maven.
# Opt-in: not part of `./mvnw verify`. See docs/DEPLOY.md, "Native image checklist".
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
DIR=$ROOT/target/native-check
LOG=$DIR/check.log

summary() {
  local dir log
  dir=$(dirname "$1")
  # Only the build's own output: a log that already ends with a summary (a finished run) is read without it.
  log=$(mktemp); sed '/^================ native check summary/,$d' "$1" > "$log"
  # shellcheck disable=SC2064
  trap "rm -f '$log'" RETURN
  local rc; rc=$(cat "$dir/builder-exit-code" 2>/dev/null || echo none)
  local secs; secs=$(cat "$dir/builder-seconds" 2>/dev/null || echo '?')
  local failed=0
  # "[N/8] Title..." lines: a step has run to its end when the next one has started (or, for the last, when the
  # builder exited 0 after it).
  has() { grep -q "^\[$1/8\]" "$log"; }
  step_line() { grep "^\[$1/8\]" "$log" | tail -1 | sed 's/  */ /g'; }
  # The builder's first error with the lines that explain it (what was found, and how it was reached), without the
  # Java stack frames.
  local err; err=$(awk '/^(Error|Fatal error)[: ]/ && !n {n=1} n && !/^\tat / && !/^[ \t]*$/ && !/^\.\.\. [0-9]+ more/ {print; if (++c >= 30) exit} /^Caused by:/ && n {exit}' "$log")
  echo
  echo "================ native check summary ================"
  echo "builder: GraalVM svm 25.0.4 (Maven Central) on $(${JAVA25_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java -version 2>&1 | head -1)"
  echo "builder exit code: $rc, builder wall time: ${secs}s, log: $1"
  report() { # name status why
    printf '%-50s %-8s %s\n' "$1" "$2" "$3"
    [ "$2" = FAILED ] && failed=1
    return 0
  }
  if [ "$rc" = none ]; then
    report "builder started by Quarkus" FAILED "Quarkus never ran the native-image stand-in (see the Maven output in the log)"
  elif ! has 1; then
    report "builder started by Quarkus" FAILED "the stand-in did not get the builder started (exit code $rc; see the log)"
  else
    report "builder started by Quarkus" PASSED "$(wc -l < "$dir/quarkus-args.txt") native-image arguments from Quarkus, translated by tools/native/translate-args.py"
  fi
  if has 2; then
    if has 3; then
      report "analysis [2/8]" PASSED "$(step_line 2)"
      grep -E 'found reachable|registered for reflection|registered for JNI access|native libraries:' "$log" | sed 's/^ */      /' | head -6
      # AWT/ImageIO would show as JDK libraries of java.desktop here (and need the quarkus-awt extension and .so files).
      local libs; libs=$(grep -E 'native librar(y|ies):' "$log" | tail -1 | sed 's/.*: *//')
      if echo "$libs" | grep -qiE 'awt|jpeg|lcms|mlib|fontmanager|freetype|javajpeg'; then
        report "no AWT/ImageIO native libraries" FAILED "the builder found $libs reachable"
      else
        report "no AWT/ImageIO native libraries" PASSED "reachable native libraries: ${libs:-none listed}"
      fi
    else
      report "analysis [2/8]" FAILED "stopped in analysis"
    fi
  else
    report "analysis [2/8]" "NOT RUN" "the builder stopped before analysis (step [1/8])"
  fi
  if has 3 && has 7; then
    report "universe, parsing, inlining, compilation [3-6/8]" PASSED "$(step_line 6)"
  elif has 3; then
    report "universe, parsing, inlining, compilation [3-6/8]" FAILED "stopped in: $(grep -E '^\[[3-6]/8\]' "$log" | tail -1 | cut -c1-40)"
  else
    report "universe, parsing, inlining, compilation [3-6/8]" "NOT RUN" "analysis did not finish"
  fi
  # The relocatable object file the builder wrote, kept in its temporary directory (-H:TempDirectory, see native-image).
  local obj; obj=$(find "$dir/build" -name '*.o' -size +1M 2>/dev/null | head -1)
  if has 7 && [ "$rc" = 0 ] && [ -n "$obj" ]; then
    report "layout, object file [7/8], write" PASSED "$(basename "$obj"), $(awk -v b="$(stat -c %s "$obj")" 'BEGIN{printf "%.1f MiB", b/1048576}')"
  elif has 7; then
    report "layout, object file [7/8], write" FAILED "no relocatable object file written (builder exit code $rc)"
  else
    report "layout, object file [7/8], write" "NOT RUN" "compilation did not finish"
  fi
  if [ -n "$obj" ] && [ "$rc" = 0 ]; then
    # Section sizes of the object file the builder wrote: .svm_heap is the image heap, .text the compiled code.
    local heap text
    heap=$(readelf -S -W "$obj" | sed 's/^ *\[ *[0-9]*\]//' | awk '$1==".svm_heap"{print $5}')
    text=$(readelf -S -W "$obj" | sed 's/^ *\[ *[0-9]*\]//' | awk '$1==".text"{print $5}')
    [ -n "$heap" ] && heap=$((16#$heap)); [ -n "$text" ] && text=$((16#$text))
    if [ -n "$heap" ]; then
      report "image heap size" PASSED "$(awk -v h="$heap" -v t="${text:-0}" 'BEGIN{printf "image heap %.1f MiB, code %.1f MiB (sections of the object file)", h/1048576, t/1048576}')"
    else
      report "image heap size" FAILED "no .svm_heap section in $obj"
    fi
  else
    report "image heap size" "NOT RUN" "no object file to measure"
  fi
  if [ -n "$obj" ] && [ "$rc" = 0 ]; then
    # quarkus.native.resources.includes must bring every engine resource into the image: each file's bytes are looked
    # for in the object file (resources are stored verbatim in the image heap).
    local missing
    missing=$(python3 - "$obj" "$ROOT/src/main/resources/engine" <<'PY'
import os, sys
image = open(sys.argv[1], 'rb').read()
for name in sorted(os.listdir(sys.argv[2])):
    data = open(os.path.join(sys.argv[2], name), 'rb').read()
    probes = [data[i:i + 64] for i in (0, len(data) // 2, max(0, len(data) - 64))] if data else []
    if not all(image.find(p) >= 0 for p in probes):
        print(name)
PY
)
    if [ -z "$missing" ]; then
      report "engine resources in the image" PASSED "all $(ls "$ROOT/src/main/resources/engine" | wc -l) files under src/main/resources/engine found in the object file"
    else
      report "engine resources in the image" FAILED "not in the object file: $(echo $missing)"
    fi
  else
    report "engine resources in the image" "NOT RUN" "no object file to look in"
  fi
  report "link" "NOT RUN" "needs C static libraries no reachable registry has (the JDK's libjava, libnio, libnet, libzip; svm's C helpers): see docs/DEPLOY.md"
  if [ -n "$err" ]; then
    echo "first errors, verbatim:"
    echo "$err" | sed 's/^/    /'
  fi
  if [ -f "$dir/build/time.txt" ]; then
    grep -E 'Maximum resident set size|Elapsed \(wall' "$dir/build/time.txt" | sed 's/^\s*/builder /'
  fi
  echo "======================================================="
  if [ $failed = 0 ] && [ "$rc" = 0 ]; then
    echo "native check: every step that ran PASSED (the link was not run)"
    return 0
  fi
  echo "native check: FAILED"
  return 1
}

if [ "${1:-}" = "--summary" ]; then
  summary "${2:-$LOG}"; exit $?
fi

T25=${JAVA25_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
[ -x "$T25/bin/java" ] || { echo "native check: needs a JDK 25 (JAVA25_HOME, default $T25)"; exit 2; }
command -v gcc >/dev/null || { echo "native check: needs gcc (the builder compiles C queries for the platform headers)"; exit 2; }
command -v readelf >/dev/null || { echo "native check: needs readelf (binutils)"; exit 2; }
command -v python3 >/dev/null || { echo "native check: needs python3 (translates Quarkus's arguments)"; exit 2; }
rm -rf "$DIR"; mkdir -p "$DIR"
exec > >(tee "$LOG") 2>&1

echo "== builder jars (org.graalvm.nativeimage:svm:25.0.4 and its dependencies, from Maven Central)"
"$ROOT/mvnw" -B -ntp -q -f "$HERE/builder-jars/pom.xml" dependency:copy-dependencies \
  -DoutputDirectory="$DIR/jars" || { echo "native check: FAILED to fetch the builder jars"; exit 1; }
ls "$DIR/jars"

echo "== a Java home the builder accepts: Temurin 25 plus lib/svm/builder/lib/libreporterchelper.so"
# The builder looks for its helper library under java.home, which the JVM derives from libjvm.so's real path:
# the launcher and libjvm/libjli are copied, everything else is linked to Temurin.
cp -rs "$T25/." "$DIR/jdk"
for f in bin/java lib/server/libjvm.so lib/libjli.so; do rm "$DIR/jdk/$f"; cp "$T25/$f" "$DIR/jdk/$f"; done
mkdir -p "$DIR/jdk/lib/svm/builder/lib"
gcc -shared -fPIC -O2 -I"$T25/include" -I"$T25/include/linux" -o "$DIR/jdk/lib/svm/builder/lib/libreporterchelper.so" \
  "$HERE/reporterchelper.c" || { echo "native check: FAILED to build libreporterchelper.so"; exit 1; }

echo "== placeholder static libraries (pass the builder's presence check; they could never link) and headers"
mkdir -p "$DIR/clib"
for l in java nio net zip jvm; do ar rc "$DIR/clib/lib$l.a"; done
cp -r "$HERE/include" "$DIR/clib/include"

mkdir -p "$DIR/graalvm-home/bin"
ln -s "$HERE/native-image" "$DIR/graalvm-home/bin/native-image"

echo "== Quarkus native build ($(date -u +%H:%M:%S) UTC)"
export NATIVE_CHECK_DIR=$DIR
export NATIVE_CHECK_EXTRA=${NATIVE_CHECK_EXTRA:--H:+ExitAfterRelocatableImageWrite}
# Quarkus copies the executable out of its build folder afterwards; with the link not run there is none, so Maven's
# own result is expected to fail after the builder: the summary judges the builder's steps, not Maven's exit code.
# shellcheck disable=SC2086
(cd "$ROOT" && ./mvnw -B -ntp package -Pnative -DskipTests \
  -Dquarkus.native.graalvm-home="$DIR/graalvm-home" -Dquarkus.native.container-build=false \
  ${NATIVE_CHECK_MVN_ARGS:-})
echo "Maven exit code: $? ($(date -u +%H:%M:%S) UTC)"
sleep 1 # let tee write the last lines before they are read back
summary "$LOG"
