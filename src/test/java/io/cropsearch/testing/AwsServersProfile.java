package io.cropsearch.testing;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.List;
import java.util.Map;

/**
 * The function wired to real protocol servers: dynalite (results table), s3proxy (upload bucket) and WireMock (the
 * upstream). Every test class using it shares one Quarkus start and one set of servers. Upstream retries and backoff
 * are shortened and the circuit breaker kept closed, so that tests that make the upstream fail stay fast and
 * independent; the log also goes to a file, which the token test reads whole.
 */
public class AwsServersProfile implements QuarkusTestProfile {
    /** Distinctive, so that finding it anywhere in a log line or record is unambiguous. */
    public static final String TOKEN = "tok-SECRET-should-never-leak-42";
    public static final String TABLE = "crop-search-results";
    public static final String BUCKET = "uploads";
    public static final String LOG_FILE = "target/aws-servers-profile.log";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.ofEntries(
                Map.entry("VERIFIK_TOKEN", TOKEN),
                Map.entry("crop-search.upstream.retry.max-retries", "2"),
                Map.entry("crop-search.upstream.retry.initial-delay", "10ms"),
                Map.entry("crop-search.upstream.retry.jitter", "1ms"),
                Map.entry("crop-search.upstream.circuit-breaker.request-volume-threshold", "10000"),
                Map.entry("crop-search.s3.max-object-bytes", "200000"),
                Map.entry("crop-search.limits.max-image-bytes", "200000"),
                Map.entry("quarkus.log.file.enabled", "true"),
                Map.entry("quarkus.log.file.path", LOG_FILE),
                Map.entry("quarkus.log.category.\"io.cropsearch\".level", "DEBUG"));
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(
                new TestResourceEntry(DynaliteServer.class, Map.of(DynaliteServer.RESULTS_TABLE, TABLE), true),
                new TestResourceEntry(S3ProxyServer.class, Map.of(S3ProxyServer.BUCKET, BUCKET), true),
                new TestResourceEntry(UpstreamStub.class, Map.of(), true));
    }
}
