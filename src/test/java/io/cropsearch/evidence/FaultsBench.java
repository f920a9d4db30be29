package io.cropsearch.evidence;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

/**
 * Faults under load, HTTP path. N emulated Lambda environments ({@link Fleet}) serve N paced callers while the upstream
 * stub goes through phases:
 * <ol>
 *   <li>healthy: 200 after 50 ms;</li>
 *   <li>slow: 200 after 3.5 s, past the FAST budget (3 s): expect 504 TIMEOUT {@code upstream_timeout} at the budget;</li>
 *   <li>failing: 503 at once (a transient status, retried with backoff): expect 502 ERROR {@code upstream_error} after
 *   the retries, then, once the circuit breaker opens (half of the last 20 attempts failed), 503 UNAVAILABLE
 *   {@code upstream_unavailable} at once with Retry-After;</li>
 *   <li>recovered: healthy again: expect 503 until the breaker's 10 s delay has passed, then 200 (two successful
 *   trials close it).</li>
 * </ol>
 * Every answer must come within the FAST budget plus a small slack, with a status and code the README documents.
 * The breaker lives in each environment (each JVM), as it would on Lambda.
 *
 * <p>System properties: {@code evidence.concurrency} (8 environments and callers), {@code evidence.pace} (each caller
 * sends at most one request per 50 ms), phase lengths {@code evidence.healthy} (10 s), {@code evidence.slow} (10 s),
 * {@code evidence.failing} (15 s), {@code evidence.recovered} (25 s), {@code evidence.slack} (300 ms).
 */
public final class FaultsBench {
    static final long FAST_BUDGET_MS = 3000;
    static final Map<Integer, String> DOCUMENTED = Map.of(200, "", 502, "ERROR/upstream_error",
            503, "UNAVAILABLE/upstream_unavailable", 504, "TIMEOUT/upstream_timeout");

    record Sample(String phase, long startMs, int status, String code, double latencyMs) {
    }

    public static void main(String[] args) throws Exception {
        int n = Evidence.intProp("evidence.concurrency", 8);
        int pace = Evidence.intProp("evidence.pace", 50);
        int slack = Evidence.intProp("evidence.slack", 300);
        Map<String, Integer> phases = new LinkedHashMap<>();
        phases.put("healthy", Evidence.intProp("evidence.healthy", 10));
        phases.put("slow", Evidence.intProp("evidence.slow", 10));
        phases.put("failing", Evidence.intProp("evidence.failing", 15));
        phases.put("recovered", Evidence.intProp("evidence.recovered", 25));
        Path out = Path.of(Evidence.prop("evidence.out", "target/evidence/faults"));
        System.out.println("# faults under load: " + Evidence.conditions());
        System.out.println("# " + n + " environments, " + n + " callers (one request per " + pace + " ms at most each), "
                + "phases (s) " + phases + ", FAST budget " + FAST_BUDGET_MS + " ms + slack " + slack + " ms");

        byte[] event = Evidence.apiGatewayEvent(Evidence.requestBody(Evidence.sampleCrop(), "FAST"), "faults");
        WireMockServer stub = Evidence.startStub();
        UUID stubId = UUID.randomUUID();
        stub.stubFor(search(stubId, ok(50)));
        String upstream = "http://127.0.0.1:" + stub.port();
        try (Fleet fleet = Fleet.start(n, upstream, "", Map.of(), out, 15_000)) {
            // Warm every environment (cold first requests are the start-up figure, not this one).
            LoadBench.drive(fleet.api(), event, 20 * n, n);
            System.out.println("# warm-up done; phases start");
            List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
            String[] phase = {"healthy"};
            AtomicBoolean running = new AtomicBoolean(true);
            long t0 = System.currentTimeMillis();
            List<Thread> callers = new ArrayList<>();
            for (int c = 0; c < n; c++) {
                Thread t = new Thread(() -> {
                    while (running.get()) {
                        long start = System.currentTimeMillis();
                        String p = phase[0];
                        try {
                            RuntimeApiEmulator.Result r = fleet.api().invoke(event).get(30, TimeUnit.SECONDS);
                            int status = Evidence.status(r);
                            String code = status == 200 ? "" : Evidence.errorCode(r);
                            samples.add(new Sample(p, start - t0, status, code, r.latencyNanos() / 1e6));
                        } catch (Exception e) {
                            samples.add(new Sample(p, start - t0, 0, "no answer: " + e, 30_000));
                        }
                        long wait = pace - (System.currentTimeMillis() - start);
                        if (wait > 0) {
                            sleep(wait);
                        }
                    }
                }, "caller-" + c);
                t.start();
                callers.add(t);
            }
            Map<String, long[]> phaseWindows = new LinkedHashMap<>();
            for (var p : phases.entrySet()) {
                phase[0] = p.getKey();
                long from = System.currentTimeMillis() - t0;
                stub.editStub(search(stubId, switch (p.getKey()) {
                    case "slow" -> ok(3500);
                    case "failing" -> aResponse().withStatus(503).withHeader("Content-Type", "application/json")
                            .withBody("{\"message\":\"overloaded\",\"code\":\"UNAVAILABLE\"}");
                    default -> ok(50);
                }));
                System.out.printf(Locale.ROOT, "# t=%5.1f s upstream is now %s%n", from / 1000.0, p.getKey());
                sleep(p.getValue() * 1000L);
                phaseWindows.put(p.getKey(), new long[] {from, System.currentTimeMillis() - t0});
            }
            running.set(false);
            for (Thread t : callers) {
                t.join(35_000);
            }
            report(new ArrayList<>(samples), phases.keySet(), slack);
        } finally {
            stub.stop();
        }
    }

    static MappingBuilder search(UUID id, ResponseDefinitionBuilder response) {
        return post(urlPathEqualTo(Evidence.PATH)).withId(id).willReturn(response);
    }

    static ResponseDefinitionBuilder ok(int delayMs) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withBody(Evidence.UPSTREAM_OK).withFixedDelay(delayMs);
    }

    static void report(List<Sample> samples, Set<String> phaseNames, int slack) {
        System.out.println();
        System.out.println("## faults summary (" + Evidence.conditions() + ")");
        System.out.println("timeline (requests started per 2 s, by status; 503 = circuit open):");
        Map<Long, Map<Integer, Integer>> buckets = new TreeMap<>();
        Map<Long, String> bucketPhase = new TreeMap<>();
        for (Sample s : samples) {
            long b = s.startMs / 2000;
            buckets.computeIfAbsent(b, k -> new TreeMap<>()).merge(s.status, 1, Integer::sum);
            bucketPhase.putIfAbsent(b, s.phase);
        }
        buckets.forEach((b, counts) -> System.out.printf(Locale.ROOT, "  t=%3d-%3d s %-9s %s%n", b * 2, b * 2 + 2,
                bucketPhase.get(b), counts));
        System.out.println("per phase (phase = upstream state when the request was sent):");
        int violations = 0;
        int undocumented = 0;
        for (String phase : phaseNames) {
            Map<String, List<Double>> byOutcome = new TreeMap<>();
            for (Sample s : samples) {
                if (s.phase.equals(phase)) {
                    byOutcome.computeIfAbsent(s.status + (s.code.isEmpty() ? "" : " " + s.code), k -> new ArrayList<>())
                            .add(s.latencyMs);
                }
            }
            System.out.println("  " + phase + ":");
            for (var e : byOutcome.entrySet()) {
                double max = e.getValue().stream().mapToDouble(Double::doubleValue).max().orElse(0);
                double[] sorted = e.getValue().stream().mapToDouble(Double::doubleValue).sorted().toArray();
                System.out.printf(Locale.ROOT, "    %-45s n=%5d  p50=%7.1f ms  max=%7.1f ms%n", e.getKey(), sorted.length,
                        sorted[sorted.length / 2], max);
            }
        }
        for (Sample s : samples) {
            if (s.latencyMs > FAST_BUDGET_MS + slack) {
                violations++;
            }
            String expected = DOCUMENTED.get(s.status);
            if (expected == null || (!expected.isEmpty() && !s.code.equals(expected))) {
                undocumented++;
            }
        }
        long open503 = samples.stream().filter(s -> s.status == 503).count();
        long open503Failing = samples.stream().filter(s -> s.status == 503 && s.phase.equals("failing")).count();
        long open503Recovered = samples.stream().filter(s -> s.status == 503 && s.phase.equals("recovered")).count();
        long lastRecovered503 = samples.stream().filter(s -> s.status == 503 && s.phase.equals("recovered"))
                .mapToLong(Sample::startMs).max().orElse(-1);
        long recoveredStart = samples.stream().filter(s -> s.phase.equals("recovered")).mapToLong(Sample::startMs)
                .min().orElse(-1);
        long ok200After = samples.stream().filter(s -> s.status == 200 && s.phase.equals("recovered")
                && s.startMs > lastRecovered503).count();
        System.out.printf(Locale.ROOT, "requests %d; over budget+slack (%d ms): %d; undocumented status/code: %d%n",
                samples.size(), FAST_BUDGET_MS + slack, violations, undocumented);
        System.out.printf(Locale.ROOT, "503 upstream_unavailable: %d in all, %d while failing, %d after recovery began; "
                        + "last 503 %.1f s after recovery began; %d x 200 after it%n", open503, open503Failing,
                open503Recovered, lastRecovered503 < 0 ? 0 : (lastRecovered503 - recoveredStart) / 1000.0, ok200After);
        boolean pass = violations == 0 && undocumented == 0 && open503Failing > 0 && ok200After > 0;
        System.out.println(pass ? "RESULT: PASS" : "RESULT: FAIL");
        if (!pass) {
            System.exit(1);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
