#!/usr/bin/env bash
# Trains the function's AOT cache HERE, on Temurin 25, and puts it into target/function.zip as aot/crop-search.aot.
#   tools/startup/aot-cache.sh
# For measuring only (tools/startup/bench.sh): a cache loads only on the JDK build that wrote it, so this one is
# skipped by Lambda's java25 runtime (Amazon Corretto). The deployable cache comes from tools/startup/aot-cache-lambda.sh,
# which runs the same trainer inside the Lambda java25 base image. docs/DEPLOY.md, "Start-up: the AOT cache".
# AOT_JAVA=<java> picks another JDK 25 (default /usr/lib/jvm/temurin-25-jdk-amd64/bin/java).
source "$(dirname "$0")/../evidence/common.sh"
evidence_prepare
JAVA="${AOT_JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}"
RIC_CP="$(ls "$EV"/ric/*.jar | paste -sd:)"
rm -rf "$ROOT/target/aot"
# The runtime interface client as FunctionProcess runs it (the managed runtime's flags), minus -Xshare:auto, which
# the JVM refuses next to -XX:AOTCacheOutput (the flag is not recorded in the cache; the runtime's -Xshare:auto
# still loads it through -XX:SharedArchiveFile).
"$JAVA" "$ROOT/tools/startup/AotTrain.java" --zip "$ROOT/target/function.zip" --task-root "$ROOT/target/aot/task" \
  --image "$ROOT/src/test/resources/engine/crops/sample1-face1.png" -- \
  "$JAVA" -XX:MaxHeapSize=445645k -XX:+UseSerialGC -Djava.net.preferIPv4Stack=true \
  -Dcom.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI="$EV/ric-jni/libaws-lambda-jni.so" \
  -cp "$RIC_CP" com.amazonaws.services.lambda.runtime.api.client.AWSLambda \
  io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest
# The harnesses unzip the function again, cache included.
rm -rf "$EV/function"
