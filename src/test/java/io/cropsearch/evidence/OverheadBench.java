package io.cropsearch.evidence;

import com.github.tomakehurst.wiremock.WireMockServer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

/**
 * The function's added latency over a direct call to the same upstream stub, side by side in one run.
 *
 * <p>The stub (WireMock, in this JVM) answers every search after a fixed delay (50 ms). One function process runs as on
 * Lambda (real runtime interface client, {@link RuntimeApiEmulator}); it gets API Gateway v2 events carrying a real
 * JPEG crop. After a warm-up phase of both kinds of call, pairs are measured one call at a time: a direct POST of the
 * exact upstream body the function sends (java.net.http, keep-alive) and an invocation through the function (event
 * queued until its response is posted back), alternating which goes first.
 *
 * <p>The function's figure covers: handing the event to the polling runtime client over loopback, the client's handler
 * dispatch, event JSON parsing and the Quarkus virtual HTTP request, body parsing and validation (including base64
 * decoding and the JPEG header parse), the REST client call to the stub (same 50 ms), the response JSON and API
 * Gateway response event, and the client's POST of the response.
 *
 * <p>System properties: {@code evidence.warmup} (800 pairs), {@code evidence.pairs} (1500), {@code evidence.delay}
 * (50 ms), {@code evidence.javaToolOptions} (JAVA_TOOL_OPTIONS of the function, empty by default), {@code evidence.jfr}
 * (false; true records the measured phase with JFR and prints where the function's CPU time went, which itself adds
 * overhead), {@code evidence.jfrSettings} (JFR settings, default {@code profile}; {@code tools/evidence/profile-1ms.jfc}
 * samples every millisecond).
 */
public final class OverheadBench {

    public static void main(String[] args) throws Exception {
        int warmup = Evidence.intProp("evidence.warmup", 800);
        int pairs = Evidence.intProp("evidence.pairs", 1500);
        int delay = Evidence.intProp("evidence.delay", 50);
        String toolOptions = Evidence.prop("evidence.javaToolOptions", "");
        boolean jfr = Boolean.parseBoolean(Evidence.prop("evidence.jfr", "false"));
        String jfrSettings = Evidence.prop("evidence.jfrSettings", "profile");
        Path out = Path.of(Evidence.prop("evidence.out", "target/evidence/overhead"));
        System.out.println("# overhead: " + Evidence.conditions());
        System.out.println("# function JAVA_TOOL_OPTIONS='" + toolOptions + "', stub delay " + delay + " ms, warm-up "
                + warmup + " pairs, measured " + pairs + " pairs, one call at a time");

        byte[] crop = Evidence.sampleCrop();
        String body = Evidence.requestBody(crop, "FAST");
        String upstreamBody = Evidence.upstreamBody(crop, "FAST");
        System.out.println("# crop: JPEG " + crop.length + " bytes; event body " + body.length() + " chars");

        WireMockServer stub = Evidence.startStub();
        stub.stubFor(post(urlPathEqualTo(Evidence.PATH)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(Evidence.UPSTREAM_OK).withFixedDelay(delay)));
        String upstream = "http://127.0.0.1:" + stub.port();
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest direct = HttpRequest.newBuilder(URI.create(upstream + Evidence.PATH))
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .header("Authorization", "Bearer " + Evidence.TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString(upstreamBody)).build();
        byte[] event = Evidence.apiGatewayEvent(body, "overhead");

        try (RuntimeApiEmulator api = RuntimeApiEmulator.start(15_000);
             FunctionProcess fn = FunctionProcess.start(api.address(), upstream, List.of(), toolOptions, Map.of(),
                     out.resolve("function.log"))) {
            if (!api.awaitPolls(1, 120_000)) {
                throw new IllegalStateException("function did not start:\n" + fn.logText());
            }
            long[] viaFunction = new long[pairs];
            long[] directCall = new long[pairs];
            long[] inFunction = new long[pairs];
            long t0 = System.nanoTime();
            long cpuBefore = fn.cpuMillis();
            long cpuMid = -1;
            Map<String, Long> threadsBefore = fn.threadCpuMillis();
            for (int i = 0; i < warmup + pairs; i++) {
                long f;
                long d;
                RuntimeApiEmulator.Result[] r = new RuntimeApiEmulator.Result[1];
                if (i % 2 == 0) {
                    f = viaFunction(api, event, r, fn);
                    d = direct(client, direct);
                } else {
                    d = direct(client, direct);
                    f = viaFunction(api, event, r, fn);
                }
                if (i == warmup - 1) {
                    System.out.printf(Locale.ROOT, "# warm-up done in %.1f s%n", (System.nanoTime() - t0) / 1e9);
                    if (jfr) {
                        fn.jcmd("JFR.start", "name=measure", "settings=" + jfrSettings);
                    }
                    cpuBefore = fn.cpuMillis();
                    threadsBefore = fn.threadCpuMillis();
                }
                if (i == warmup + pairs / 2 - 1) {
                    cpuMid = fn.cpuMillis();
                }
                if (i >= warmup) {
                    viaFunction[i - warmup] = f;
                    directCall[i - warmup] = d;
                    inFunction[i - warmup] = r[0].completedNanos() - r[0].deliveredNanos();
                }
            }
            long[] diff = new long[pairs];
            for (int i = 0; i < pairs; i++) {
                diff[i] = viaFunction[i] - directCall[i];
            }
            Evidence.Stats fs = Evidence.Stats.of(viaFunction);
            Evidence.Stats ds = Evidence.Stats.of(directCall);
            Evidence.Stats is = Evidence.Stats.of(inFunction);
            Evidence.Stats diffs = Evidence.Stats.of(diff);
            System.out.println();
            System.out.println("## overhead summary (" + Evidence.conditions() + ")");
            System.out.println("direct call to stub      " + ds);
            System.out.println("through the function     " + fs);
            System.out.println("  of which delivered->posted (runtime client + handler) " + is);
            System.out.println("paired difference f-d    " + diffs);
            System.out.printf(Locale.ROOT, "overhead p50 = %.2f ms (target < 1 ms) %s; p99 = %.2f ms (target < 5 ms) %s%n",
                    fs.p50() - ds.p50(), fs.p50() - ds.p50() < 1 ? "MET" : "MISSED",
                    fs.p99() - ds.p99(), fs.p99() - ds.p99() < 5 ? "MET" : "MISSED");
            System.out.printf(Locale.ROOT, "ratio function/direct: p50 %.3f, p99 %.3f%n", fs.p50() / ds.p50(),
                    fs.p99() / ds.p99());
            long cpuEnd = fn.cpuMillis();
            System.out.printf(Locale.ROOT, "function process CPU time during the measured phase: %.2f ms per request "
                    + "(all its threads: handler, JIT, GC); first half %.2f, second half %.2f%n",
                    (cpuEnd - cpuBefore) / (double) pairs, (cpuMid - cpuBefore) / (pairs / 2.0),
                    (cpuEnd - cpuMid) / (double) (pairs - pairs / 2));
            Map<String, Long> threadsAfter = fn.threadCpuMillis();
            Map<String, Long> threadsAtStart = threadsBefore;
            StringBuilder perThread = new StringBuilder();
            threadsAfter.entrySet().stream()
                    .map(e -> Map.entry(e.getKey(), e.getValue() - threadsAtStart.getOrDefault(e.getKey(), 0L)))
                    .filter(e -> e.getValue() > 0)
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                    .forEach(e -> perThread.append(String.format(Locale.ROOT, " %s=%.2f", e.getKey(),
                            e.getValue() / (double) pairs)));
            System.out.println("  per thread, ms per request:" + perThread);
            // The floor under the function's figure: the same 24 KB event without a token is answered 401 by the
            // function before validation or any upstream call, so this is the Runtime API exchange, the client's
            // dispatch, the event JSON and the API Gateway response alone.
            byte[] unauthorised = io.cropsearch.testing.LambdaEvents.apiGatewaySearch(body, false, null, "floor")
                    .toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            long[] floor = unauthorisedLatencies(api, unauthorised, warmup / 4, Math.max(200, pairs / 5), delay, fn);
            System.out.println("floor: same event without a token, answered 401 before any upstream call  "
                    + Evidence.Stats.of(floor));
            System.out.println("function RSS " + fn.procStatusKb("VmRSS") / 1024 + " MB");
            if (jfr) {
                Path recording = out.resolve("measure.jfr").toAbsolutePath();
                fn.jcmd("JFR.dump", "name=measure", "filename=" + recording);
                System.out.println("## JFR execution samples of the function during the measured phase (" + recording + ")");
                System.out.print(JfrSummary.summarise(recording, 25));
            }
        } finally {
            stub.stop();
        }
        bareFloor(event, Math.max(200, pairs / 5), Math.min(warmup, 500), delay, out);
    }

    /** The same event to {@link BareHandler} (reads it, answers a fixed 401) under the same client and emulator. */
    private static void bareFloor(byte[] event, int calls, int warmup, int delay, Path out) throws Exception {
        try (RuntimeApiEmulator api = RuntimeApiEmulator.start(15_000);
             FunctionProcess bare = FunctionProcess.startBare(api.address(), out.resolve("bare.log"))) {
            if (!api.awaitPolls(1, 60_000)) {
                throw new IllegalStateException("bare handler did not start:\n" + bare.logText());
            }
            long[] latency = unauthorisedLatencies(api, event, warmup, calls, delay, bare);
            System.out.println("runtime floor: the same event to a handler that only reads it and answers a fixed 401 "
                    + Evidence.Stats.of(latency));
        }
    }

    /**
     * Invokes {@code warmup + calls} times, one at a time with the measured pairs' idle gap between events, requiring
     * a 401 each time; returns the latencies of the last {@code calls}.
     */
    private static long[] unauthorisedLatencies(RuntimeApiEmulator api, byte[] event, int warmup, int calls, int delay,
                                                FunctionProcess fn) throws Exception {
        long[] latency = new long[calls];
        for (int i = 0; i < warmup + calls; i++) {
            RuntimeApiEmulator.Result r = api.invoke(event).get(30, TimeUnit.SECONDS);
            if (Evidence.status(r) != 401) {
                throw new IllegalStateException("expected 401, got " + Evidence.status(r) + "\n" + fn.logText());
            }
            if (i >= warmup) {
                latency[i - warmup] = r.latencyNanos();
            }
            Thread.sleep(delay);
        }
        return latency;
    }

    private static long viaFunction(RuntimeApiEmulator api, byte[] event, RuntimeApiEmulator.Result[] holder,
                                    FunctionProcess fn) throws Exception {
        RuntimeApiEmulator.Result r = api.invoke(event).get(30, TimeUnit.SECONDS);
        int status = Evidence.status(r);
        if (status != 200) {
            throw new IllegalStateException("function answered " + status + ": " + r.bodyText() + "\n" + fn.logText());
        }
        holder[0] = r;
        return r.latencyNanos();
    }

    private static long direct(HttpClient client, HttpRequest request) throws Exception {
        long start = System.nanoTime();
        HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        long elapsed = System.nanoTime() - start;
        if (response.statusCode() != 200) {
            throw new IllegalStateException("stub answered " + response.statusCode());
        }
        return elapsed;
    }
}
