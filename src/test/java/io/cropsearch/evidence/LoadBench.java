package io.cropsearch.evidence;

import com.github.tomakehurst.wiremock.WireMockServer;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

/**
 * A bounded load run against the local function as Lambda would run it at concurrency N: N execution environments
 * ({@link Fleet}: N processes under the real runtime interface client, one event at a time each) and N closed-loop
 * callers queueing API Gateway v2 events on one {@link RuntimeApiEmulator}. The upstream stub answers after a fixed
 * delay (50 ms). A warm-up phase (each environment's cold first request included) is excluded from the figures.
 *
 * <p>Why not one JVM with N concurrent requests: Lambda never gives one execution environment more than one event at a
 * time, and both the runtime interface client and Quarkus' own poll loop (also behind its mock event server) take
 * events one by one; loading a single JVM concurrently would measure a path Lambda never takes.
 *
 * <p>System properties: {@code evidence.requests} (20000), {@code evidence.concurrency} (32),
 * {@code evidence.warmup} (20 per environment), {@code evidence.delay} (50 ms), {@code evidence.javaToolOptions}.
 */
public final class LoadBench {

    public static void main(String[] args) throws Exception {
        int requests = Evidence.intProp("evidence.requests", 20_000);
        int concurrency = Evidence.intProp("evidence.concurrency", 32);
        int warmup = Evidence.intProp("evidence.warmup", 20 * concurrency);
        int delay = Evidence.intProp("evidence.delay", 50);
        String toolOptions = Evidence.prop("evidence.javaToolOptions", "");
        Path out = Path.of(Evidence.prop("evidence.out", "target/evidence/load"));
        System.out.println("# load: " + Evidence.conditions());
        System.out.printf(Locale.ROOT, "# %d requests (+%d warm-up), %d environments = %d concurrent callers, stub delay "
                + "%d ms, JAVA_TOOL_OPTIONS='%s'%n", requests, warmup, concurrency, concurrency, delay, toolOptions);

        byte[] crop = Evidence.sampleCrop();
        byte[] event = Evidence.apiGatewayEvent(Evidence.requestBody(crop, "FAST"), "load");
        WireMockServer stub = Evidence.startStub();
        stub.stubFor(post(urlPathEqualTo(Evidence.PATH)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(Evidence.UPSTREAM_OK).withFixedDelay(delay)));
        String upstream = "http://127.0.0.1:" + stub.port();
        try (Fleet fleet = Fleet.start(concurrency, upstream, toolOptions, Map.of(), out, 15_000)) {
            System.out.printf(Locale.ROOT, "# warm-up: %d requests%n", warmup);
            Outcome warm = drive(fleet.api(), event, warmup, concurrency);
            System.out.printf(Locale.ROOT, "# warm-up done in %.1f s (statuses %s)%n", warm.seconds, warm.statuses);
            String before = Evidence.conditions();
            Outcome run = drive(fleet.api(), event, requests, concurrency);
            System.out.println();
            System.out.println("## load summary");
            System.out.println("conditions at start: " + before);
            System.out.println("conditions at end:   " + Evidence.conditions());
            System.out.printf(Locale.ROOT, "requests %d in %.1f s = %.0f req/s; statuses %s; errors %d%n", requests,
                    run.seconds, requests / run.seconds, run.statuses, run.errors);
            System.out.println("latency (event queued -> response posted) " + Evidence.Stats.of(run.latencies));
            System.out.println("  of which queued before an environment took it: " + Evidence.Stats.of(run.queueWaits));
            System.out.println(fleet.rssSummary("VmRSS"));
            System.out.println(fleet.rssSummary("VmHWM"));
            FunctionProcess first = fleet.environments().get(0);
            System.out.println("environment 0, GC.heap_info after the run:");
            System.out.print(indent(first.jcmd("GC.heap_info")));
            first.jcmd("GC.run");
            System.out.println("environment 0, GC.heap_info after a full GC (live set):");
            System.out.print(indent(first.jcmd("GC.heap_info")));
            if (run.errors > 0) {
                System.exit(1);
            }
        } finally {
            stub.stop();
        }
    }

    static String indent(String text) {
        StringBuilder b = new StringBuilder();
        for (String line : text.split("\n")) {
            if (!line.isBlank() && !line.matches("^[0-9]+:$")) {
                b.append("  ").append(line.strip()).append('\n');
            }
        }
        return b.toString();
    }

    record Outcome(double seconds, long[] latencies, long[] queueWaits, Map<String, Integer> statuses, int errors) {
    }

    /** Closed loop: {@code callers} threads each send the next event when their previous one was answered. */
    static Outcome drive(RuntimeApiEmulator api, byte[] event, int total, int callers) throws InterruptedException {
        long[] latencies = new long[total];
        long[] waits = new long[total];
        Map<String, Integer> statuses = new ConcurrentHashMap<>();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        AtomicLong firstError = new AtomicLong();
        Thread[] threads = new Thread[callers];
        long t0 = System.nanoTime();
        for (int c = 0; c < callers; c++) {
            threads[c] = new Thread(() -> {
                int i;
                while ((i = next.getAndIncrement()) < total) {
                    try {
                        RuntimeApiEmulator.Result r = api.invoke(event).get(30, TimeUnit.SECONDS);
                        latencies[i] = r.latencyNanos();
                        waits[i] = r.deliveredNanos() - r.enqueuedNanos();
                        int status = Evidence.status(r);
                        statuses.merge(Integer.toString(status), 1, Integer::sum);
                        if (status != 200) {
                            errors.incrementAndGet();
                            if (firstError.compareAndSet(0, 1)) {
                                System.out.println("# first error: " + r.bodyText());
                            }
                        }
                    } catch (Exception e) {
                        statuses.merge("no-answer", 1, Integer::sum);
                        errors.incrementAndGet();
                        latencies[i] = TimeUnit.SECONDS.toNanos(30);
                    }
                }
            }, "caller-" + c);
            threads[c].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new Outcome(seconds, latencies, waits, new TreeMap<>(statuses), errors.get());
    }
}
