package io.cropsearch.evidence;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.cropsearch.testing.DynaliteServer;
import io.cropsearch.testing.S3Events;
import io.cropsearch.testing.S3ProxyServer;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

/**
 * Faults under load, S3 path: N uploads while the upstream fails half the time; after Lambda-style retries there must
 * be exactly N result records, none doubled and none lost.
 *
 * <p>Real servers on loopback: s3proxy (S3 API) holds the uploaded crops, dynalite (DynamoDB API) the results table,
 * WireMock the upstream. The upstream flaps: 2 s healthy (200 after 50 ms), 2 s failing (503 at once), for the whole
 * run. E emulated Lambda environments ({@link Fleet}, the function run by the real runtime interface client) take the
 * S3 notifications from one {@link RuntimeApiEmulator}. The harness plays Lambda's asynchronous invocation:
 * <ul>
 *   <li>one S3 event per upload, all queued at once (a burst of uploads);</li>
 *   <li>at-least-once delivery: a share of the events (20 %) is delivered a second time;</li>
 *   <li>an invocation that fails ({@code /invocation/{id}/error}) is retried twice, after 3 s and 6 s (Lambda waits
 *   about 1 and 2 minutes; scaled down); after that it goes to the "on-failure destination";</li>
 *   <li>the on-failure destination is redriven every 12 s (after the circuit breaker's 10 s delay) until it is empty,
 *   at most 6 rounds.</li>
 * </ul>
 * Then the table is scanned: one item per upload, final status, none left FAILED.
 *
 * <p>System properties: {@code evidence.uploads} (60), {@code evidence.concurrency} (4 environments),
 * {@code evidence.duplicateShare} (0.2).
 */
public final class S3FaultsBench {
    static final String BUCKET = "evidence-uploads";

    public static void main(String[] args) throws Exception {
        int uploads = Evidence.intProp("evidence.uploads", 60);
        int envs = Evidence.intProp("evidence.concurrency", 4);
        double duplicateShare = Double.parseDouble(Evidence.prop("evidence.duplicateShare", "0.2"));
        Path out = Path.of(Evidence.prop("evidence.out", "target/evidence/s3faults"));
        String table = "evidence-results-" + System.currentTimeMillis();
        System.out.println("# S3 faults under load: " + Evidence.conditions());
        System.out.printf(Locale.ROOT, "# %d uploads, %d environments, upstream flapping 2 s up / 2 s down (503), "
                + "%.0f %% of events delivered twice, table %s%n", uploads, envs, duplicateShare * 100, table);

        String s3 = S3ProxyServer.endpoint();
        String dynamo = DynaliteServer.endpoint();
        DynaliteServer.createTable(table);
        byte[] crop = Evidence.sampleCrop();
        List<byte[]> events = new ArrayList<>();
        try (S3Client client = S3ProxyServer.client()) {
            S3ProxyServer.createBucket(BUCKET);
            for (int i = 0; i < uploads; i++) {
                String key = "crops/face " + i + ".jpg";
                String eTag = client.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(crop)).eTag()
                        .replace("\"", "");
                events.add(S3Events.event().created(BUCKET, key, crop.length, eTag, null).json()
                        .getBytes(StandardCharsets.UTF_8));
            }
        }
        System.out.println("# uploaded " + uploads + " objects to s3proxy at " + s3 + "; dynalite at " + dynamo);

        WireMockServer stub = Evidence.startStub();
        UUID stubId = UUID.randomUUID();
        stub.stubFor(FaultsBench.search(stubId, FaultsBench.ok(50)));
        AtomicBoolean flapping = new AtomicBoolean(true);
        AtomicInteger flips = new AtomicInteger();
        Thread flapper = new Thread(() -> {
            boolean up = true;
            while (flapping.get()) {
                FaultsBench.sleep(2000);
                up = !up;
                flips.incrementAndGet();
                stub.editStub(FaultsBench.search(stubId, up ? FaultsBench.ok(50)
                        : aResponse().withStatus(503).withBody("{\"message\":\"overloaded\",\"code\":\"UNAVAILABLE\"}")));
            }
        }, "flapper");
        Map<String, String> env = new HashMap<>();
        env.put("RESULTS_TABLE", table);
        env.put("VERIFIK_TOKEN", "tok-evidence-function-token");
        env.put("AWS_ENDPOINT_URL_S3", s3);
        env.put("AWS_ENDPOINT_URL_DYNAMODB", dynamo);
        env.put("S3_FORCE_PATH_STYLE", "true");
        // Local emulators' fixed test identity (s3proxy is configured with test/test; dynalite accepts any).
        env.put("AWS_ACCESS_KEY_ID", "test");
        env.put("AWS_SECRET_ACCESS_KEY", "test");

        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(4);
        try (Fleet fleet = Fleet.start(envs, "http://127.0.0.1:" + stub.port(), "", env, out, 15_000)) {
            flapper.start();
            long t0 = System.currentTimeMillis();
            AtomicInteger deliveries = new AtomicInteger();
            AtomicInteger failedInvocations = new AtomicInteger();
            AtomicInteger retries = new AtomicInteger();
            AtomicInteger duplicatesSent = new AtomicInteger();
            List<Integer> dlq = Collections.synchronizedList(new ArrayList<>());
            Map<String, Integer> outcomes = new ConcurrentHashMap<>();
            Random random = new Random(7);

            // One "delivery chain" per event copy: first try plus two retries, then the on-failure destination.
            class Chain {
                final CountDownLatch done;

                Chain(CountDownLatch done) {
                    this.done = done;
                }

                void deliver(int event, int attempt) {
                    deliveries.incrementAndGet();
                    fleet.api().invoke(events.get(event)).whenComplete((r, e) -> {
                        boolean failed = e != null || r.error();
                        outcomes.merge(failed ? "invocation error" + (r != null && r.errorType() != null
                                ? " (" + r.errorType() + ")" : "") : "invocation ok", 1, Integer::sum);
                        if (!failed) {
                            done.countDown();
                        } else if (attempt < 3) {
                            failedInvocations.incrementAndGet();
                            retries.incrementAndGet();
                            scheduler.schedule(() -> deliver(event, attempt + 1), attempt == 1 ? 3 : 6, TimeUnit.SECONDS);
                        } else {
                            failedInvocations.incrementAndGet();
                            dlq.add(event);
                            done.countDown();
                        }
                    });
                }
            }

            List<Integer> copies = new ArrayList<>();
            for (int i = 0; i < uploads; i++) {
                copies.add(i);
                if (random.nextDouble() < duplicateShare) {
                    copies.add(i);
                    duplicatesSent.incrementAndGet();
                }
            }
            Collections.shuffle(copies, random);
            CountDownLatch first = new CountDownLatch(copies.size());
            Chain chain = new Chain(first);
            for (int event : copies) {
                chain.deliver(event, 1);
            }
            if (!first.await(180, TimeUnit.SECONDS)) {
                System.out.println("# WARNING: deliveries still pending after 180 s");
            }
            System.out.printf(Locale.ROOT, "# first deliveries and retries done after %.1f s; %d events in the "
                    + "on-failure destination%n", (System.currentTimeMillis() - t0) / 1000.0, dlq.size());
            int rounds = 0;
            while (!dlq.isEmpty() && rounds < 6) {
                rounds++;
                FaultsBench.sleep(12_000);
                List<Integer> redrive = new ArrayList<>(dlq);
                dlq.clear();
                CountDownLatch latch = new CountDownLatch(redrive.size());
                for (int event : redrive) {
                    deliveries.incrementAndGet();
                    fleet.api().invoke(events.get(event)).whenComplete((r, e) -> {
                        boolean failed = e != null || r.error();
                        outcomes.merge(failed ? "redrive error" : "redrive ok", 1, Integer::sum);
                        if (failed) {
                            dlq.add(event);
                        }
                        latch.countDown();
                    });
                }
                latch.await(60, TimeUnit.SECONDS);
                System.out.printf(Locale.ROOT, "# redrive round %d: %d events, %d still failing%n", rounds,
                        redrive.size(), dlq.size());
            }
            flapping.set(false);
            double seconds = (System.currentTimeMillis() - t0) / 1000.0;

            // The table, as a user of the records would read it.
            Map<String, Integer> byStatus = new TreeMap<>();
            Map<String, Integer> perObject = new HashMap<>();
            Map<Integer, Integer> deliveriesHistogram = new TreeMap<>();
            int items = 0;
            try (DynamoDbClient client = DynaliteServer.client()) {
                for (var page : client.scanPaginator(b -> b.tableName(table).consistentRead(true))) {
                    for (Map<String, AttributeValue> item : page.items()) {
                        items++;
                        byStatus.merge(item.get("status").s(), 1, Integer::sum);
                        perObject.merge(item.get("pk").s() + " " + item.get("sk").s(), 1, Integer::sum);
                        AttributeValue d = item.get("deliveries");
                        deliveriesHistogram.merge(d == null ? 0 : Integer.parseInt(d.n()), 1, Integer::sum);
                    }
                }
            }
            long doubled = perObject.values().stream().filter(c -> c > 1).count();
            int lost = uploads - perObject.size();
            int failedLeft = byStatus.getOrDefault("FAILED", 0);
            System.out.println();
            System.out.println("## S3 faults summary (" + Evidence.conditions() + ")");
            System.out.printf(Locale.ROOT, "uploads %d; event deliveries %d (%d duplicate copies sent, %d Lambda-style "
                            + "retries, %d redrive rounds from the on-failure destination); upstream flips %d; %.1f s%n",
                    uploads, deliveries.get(), duplicatesSent.get(), retries.get(), rounds, flips.get(), seconds);
            System.out.println("invocation outcomes: " + new TreeMap<>(outcomes));
            System.out.printf(Locale.ROOT, "records: %d items for %d distinct object versions; by status %s; "
                    + "'deliveries' attribute histogram %s%n", items, perObject.size(), byStatus, deliveriesHistogram);
            System.out.printf(Locale.ROOT, "doubled: %d; lost: %d; left FAILED: %d; still in the on-failure "
                    + "destination: %d%n", doubled, lost, failedLeft, dlq.size());
            boolean pass = items == uploads && doubled == 0 && lost == 0 && failedLeft == 0 && dlq.isEmpty();
            System.out.println(pass ? "RESULT: PASS" : "RESULT: FAIL");
            if (!pass) {
                System.exit(1);
            }
        } finally {
            flapping.set(false);
            scheduler.shutdownNow();
            stub.stop();
        }
    }
}
