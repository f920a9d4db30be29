#!/usr/bin/env bash
# Trains the DEPLOYABLE AOT caches inside Lambda's own java25 base image and puts them into target/function.zip as
# aot/crop-search.aot (Verifik backend) and aot/crop-search-embedded.aot (embedded backend), which
# infra/template-jvm.yaml names in JAVA_TOOL_OPTIONS (/var/task/aot/...) by backend.
#   ./mvnw package && tools/startup/aot-cache-lambda.sh && sam deploy -t infra/template-jvm.yaml ...
# Needs Docker (or Podman: CONTAINER=podman) and an x86_64 host or emulation. NOT RUN HERE: these machines have no
# container engine; tools/startup/aot-cache.sh runs the same trainer on Temurin 25 for the measurement.
#
# Why in the image: a cache (like a CDS archive) loads only on the JDK build that wrote it; Lambda runs Amazon Corretto
# 25 from this image. Pin the image by digest (LAMBDA_IMAGE=public.ecr.aws/lambda/java:25@sha256:...) to the runtime
# version you deploy on, or let Lambda's automatic runtime updates be the reason to rebuild: after a JDK update the
# runtime skips the stale cache with a warning and starts without it (slower, never failing).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
IMAGE="${LAMBDA_IMAGE:-public.ecr.aws/lambda/java:25}"
ENGINE="${CONTAINER:-docker}"
[[ -f "$ROOT/target/function.zip" ]] || { echo "no target/function.zip: run ./mvnw package first" >&2; exit 1; }
# The embedded backend's training gallery (1,000 generated persons), written on the host with the project's classes.
GALLERY=target/aot-training-gallery.json
[[ -f "$ROOT/$GALLERY" ]] || "$ROOT/tools/startup/make-gallery.sh" 1000 "$ROOT/$GALLERY"
# Inside the image: the runtime interface client and its flags as the runtime's bootstrap has them, except
# -Xshare:auto (refused next to -XX:AOTCacheOutput; not recorded in the cache). The class path must be the runtime's
# own for the cache to load: it is taken from /var/runtime/bootstrap when that names one, else /var/runtime/lib/*.jar.
"$ENGINE" run --rm --platform linux/amd64 -v "$ROOT:/src" -w /src --entrypoint /bin/sh "$IMAGE" -c '
  set -eu
  echo "== the runtime'"'"'s bootstrap (compare its java command with the one below):"; cat /var/runtime/bootstrap || true
  CP=$(grep -oE -- "(-cp|-classpath) [^ ]+" /var/runtime/bootstrap 2>/dev/null | head -1 | cut -d" " -f2 || true)
  [ -n "$CP" ] || CP=$(ls /var/runtime/lib/*.jar | paste -sd:)
  MEM=512; HEAP=$((MEM * 1024 * 85 / 100))k
  for BACKEND in verifik embedded; do
    echo "== training the $BACKEND cache with class path $CP"
    rm -rf /var/task/*
    /var/lang/bin/java tools/startup/AotTrain.java --zip target/function.zip --task-root /var/task \
      --backend $BACKEND --gallery '"$GALLERY"' \
      --image src/test/resources/engine/crops/sample1-face1.png -- \
      /var/lang/bin/java -XX:MaxHeapSize=$HEAP -XX:+UseSerialGC -Djava.net.preferIPv4Stack=true -cp "$CP" \
      com.amazonaws.services.lambda.runtime.api.client.AWSLambda \
      io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest
  done
'
echo "target/function.zip now holds aot/crop-search.aot and aot/crop-search-embedded.aot trained by $IMAGE"
