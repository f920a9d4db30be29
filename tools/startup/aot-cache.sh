#!/usr/bin/env bash
# Trains the function's two AOT caches HERE, on Temurin 25, and puts them into target/function.zip:
# aot/crop-search.aot (trained on a Verifik-backend run) and aot/crop-search-embedded.aot (an embedded-backend run
# over a generated 1,000-person gallery); infra/template-jvm.yaml names the one of the deployed backend.
#   tools/startup/aot-cache.sh
# For measuring only (tools/startup/bench.sh): a cache loads only on the JDK build that wrote it, so these are
# skipped by Lambda's java25 runtime (Amazon Corretto). The deployable caches come from tools/startup/aot-cache-lambda.sh,
# which runs the same trainer inside the Lambda java25 base image. docs/DEPLOY.md, "Start-up: the AOT cache".
# AOT_JAVA=<java> picks another JDK 25 (default /usr/lib/jvm/temurin-25-jdk-amd64/bin/java).
source "$(dirname "$0")/../evidence/common.sh"
evidence_prepare
JAVA="${AOT_JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}"
RIC_CP="$(ls "$EV"/ric/*.jar | paste -sd:)"
gallery="$EV/gallery-1000.json"
[[ -f "$gallery" ]] || "$ROOT/tools/startup/make-gallery.sh" 1000 "$gallery" >&2
for backend in verifik embedded; do
  rm -rf "$ROOT/target/aot"
  # The runtime interface client as FunctionProcess runs it (the managed runtime's flags), minus -Xshare:auto, which
  # the JVM refuses next to -XX:AOTCacheOutput (the flag is not recorded in the cache; the runtime's -Xshare:auto
  # still loads it through -XX:SharedArchiveFile).
  "$JAVA" "$ROOT/tools/startup/AotTrain.java" --zip "$ROOT/target/function.zip" --task-root "$ROOT/target/aot/task" \
    --backend "$backend" --gallery "$gallery" \
    --image "$ROOT/src/test/resources/engine/crops/sample1-face1.png" -- \
    "$JAVA" -XX:MaxHeapSize=445645k -XX:+UseSerialGC -Djava.net.preferIPv4Stack=true \
    -Dcom.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI="$EV/ric-jni/libaws-lambda-jni.so" \
    -cp "$RIC_CP" com.amazonaws.services.lambda.runtime.api.client.AWSLambda \
    io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest
done
# The harnesses unzip the function again, caches included.
rm -rf "$EV/function"
