package io.cropsearch.s3;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.cropsearch.records.RecordCounters;
import io.cropsearch.testing.AwsServersProfile;
import io.cropsearch.testing.DynaliteServer;
import io.cropsearch.testing.LambdaEvents;
import io.cropsearch.testing.ResultsTable;
import io.cropsearch.testing.S3Events;
import io.cropsearch.testing.TestImages;
import io.cropsearch.testing.Upstream;
import io.cropsearch.testing.UpstreamStub;
import io.cropsearch.testing.Uploads;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.Base64;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Nothing lost, nothing doubled: at-least-once S3 delivery against real DynamoDB semantics. */
@QuarkusTest
@TestProfile(AwsServersProfile.class)
class S3DeliverySemanticsTest {
    private static final String BUCKET = AwsServersProfile.BUCKET;

    private final WireMockServer wireMock = UpstreamStub.server();

    @Inject
    RecordCounters counters;

    @BeforeEach
    void resetUpstream() {
        wireMock.resetAll();
    }

    @Test
    void repeatDeliveryOfTheSameVersionNeitherSearchesNorRecordsAgain() {
        String key = "semantics/twice.png";
        String eTag = Uploads.put(key, TestImages.png(120, 120), Map.of());
        Upstream.matches(wireMock, "person-twice", 0.9);
        String event = S3Events.event().created(BUCKET, key, 100, eTag, null).json();
        long duplicatesBefore = counters.duplicates();

        LambdaEvents.assertDelivered(event);
        Response again = LambdaEvents.deliver(event);

        assertEquals(200, again.statusCode());
        assertTrue(again.jsonPath().getString("body").contains("\"duplicate\":1"), again.asString());
        wireMock.verify(1, postRequestedFor(urlEqualTo(Upstream.PATH)));
        assertEquals(1, ResultsTable.object(BUCKET, key).size());
        assertEquals(duplicatesBefore + 1, counters.duplicates());
    }

    @Test
    void anOverwrittenObjectIsANewRecord() {
        // s3proxy has no versioning: in an unversioned bucket a new upload of the key is told apart by its eTag.
        String key = "semantics/overwritten.png";
        Upstream.matches(wireMock, "person-versions", 0.9);
        String first = Uploads.put(key, TestImages.png(120, 120), Map.of());
        LambdaEvents.assertDelivered(S3Events.event().created(BUCKET, key, 100, first, null).json());
        String second = Uploads.put(key, TestImages.png(110, 110), Map.of());
        LambdaEvents.assertDelivered(S3Events.event().created(BUCKET, key, 100, second, null).json());

        assertEquals(2, ResultsTable.object(BUCKET, key).size());
    }

    @Test
    void upstream5xxFailsTheInvocationAndTheRetryReplacesTheFailedRecord() {
        String key = "semantics/flaky.png";
        String eTag = Uploads.put(key, TestImages.png(120, 120), Map.of());
        String event = S3Events.event().created(BUCKET, key, 100, eTag, null).json();
        Upstream.status(wireMock, 503);

        Response first = LambdaEvents.deliver(event);

        assertEquals(500, first.statusCode(), first.asString());
        Map<String, AttributeValue> failed = ResultsTable.get("OBJ#" + BUCKET + "/" + key, "V#" + eTag);
        assertEquals("FAILED", failed.get("status").s());
        assertEquals("true", String.valueOf(failed.get("error").m().get("transient").bool()));
        assertEquals("3", failed.get("attempts").n(), "first attempt and two retries inside the delivery");

        // Lambda's retry is the same event delivered again.
        wireMock.resetAll();
        Upstream.matches(wireMock, "person-flaky", 0.9);
        LambdaEvents.assertDelivered(event);

        List<Map<String, AttributeValue>> items = ResultsTable.object(BUCKET, key);
        assertEquals(1, items.size());
        assertEquals("MATCHED", items.get(0).get("status").s());
        assertEquals("2", items.get(0).get("deliveries").n());
        assertEquals(null, items.get(0).get("error"));
    }

    @Test
    void anExpiredFunctionTokenKeepsTheUploadForRedriveInsteadOfRejectingIt() {
        String key = "semantics/token-expired.png";
        String eTag = Uploads.put(key, TestImages.png(120, 120), Map.of());
        String event = S3Events.event().created(BUCKET, key, 100, eTag, null).json();
        Upstream.status(wireMock, 403);

        Response first = LambdaEvents.deliver(event);

        assertEquals(500, first.statusCode(), "the invocation fails, so Lambda retries it: " + first.asString());
        Map<String, AttributeValue> failed = ResultsTable.get("OBJ#" + BUCKET + "/" + key, "V#" + eTag);
        assertEquals("FAILED", failed.get("status").s());
        wireMock.verify(1, postRequestedFor(urlEqualTo(Upstream.PATH)));

        // Once the secret is rotated, the redriven event is searched and recorded.
        wireMock.resetAll();
        Upstream.matches(wireMock, "person-after-rotation", 0.9);
        LambdaEvents.assertDelivered(event);
        assertEquals("MATCHED", ResultsTable.object(BUCKET, key).get(0).get("status").s());
    }

    @Test
    void dynamoDbDownFailsTheInvocationAndTheRetryRecordsExactlyOnce() {
        String[] keys = {"semantics/table-down-1.png", "semantics/table-down-2.png", "semantics/table-down-3.png"};
        S3Events events = S3Events.event();
        for (String key : keys) {
            events.created(BUCKET, key, 100, Uploads.put(key, TestImages.png(120, 120), Map.of()), null);
        }
        String event = events.json();
        Upstream.matches(wireMock, "person-table-down", 0.9);

        DynaliteServer.kill();
        Response whileDown;
        long millis;
        try {
            long started = System.nanoTime();
            whileDown = LambdaEvents.deliver(event);
            millis = (System.nanoTime() - started) / 1_000_000;
        } finally {
            DynaliteServer.ensureRunning();
            DynaliteServer.createTable(AwsServersProfile.TABLE);
        }

        assertEquals(500, whileDown.statusCode(), whileDown.asString());
        assertTrue(whileDown.jsonPath().getString("errorMessage").startsWith("3 of 3 S3 records need another delivery: "
                + "SinkUnavailableException"), whileDown.asString());
        // One record finds the store down (the SDK's retries take a few seconds); the others do not wait for it again.
        assertTrue(millis < 12_000, "failed after " + millis + " ms");
        wireMock.verify(0, postRequestedFor(urlEqualTo(Upstream.PATH)));

        LambdaEvents.assertDelivered(event);
        for (String key : keys) {
            List<Map<String, AttributeValue>> items = ResultsTable.object(BUCKET, key);
            assertEquals(1, items.size());
            assertEquals("MATCHED", items.get(0).get("status").s());
        }
    }

    @Test
    void oneBadRecordDoesNotStopTheOthersButFailsTheInvocation() {
        byte[] good = TestImages.png(120, 120);
        byte[] bad = TestImages.png(96, 96);
        String eTagA = Uploads.put("multi/a.png", good, Map.of());
        String eTagBad = Uploads.put("multi/bad.png", bad, Map.of());
        String eTagC = Uploads.put("multi/c.png", good, Map.of());
        // The upstream fails for the bad image only.
        wireMock.stubFor(Upstream.search().atPriority(1)
                .withRequestBody(containing(Base64.getEncoder().encodeToString(bad)))
                .willReturn(aResponse().withStatus(503)));
        wireMock.stubFor(Upstream.search().atPriority(5).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"id\":\"SCm\",\"data\":[{\"id\":\"person-multi\",\"name\":\"M\",\"score\":0.9}]}")));
        String event = S3Events.event()
                .created(BUCKET, "multi/a.png", good.length, eTagA, null)
                .created(BUCKET, "multi/bad.png", bad.length, eTagBad, null)
                .created(BUCKET, "multi/missing.png", 10, "etag-missing", null)
                .created(BUCKET, "multi/c.png", good.length, eTagC, null)
                .json();

        Response response = LambdaEvents.deliver(event);

        assertEquals(500, response.statusCode(), response.asString());
        assertTrue(response.jsonPath().getString("errorMessage").startsWith("1 of 4"), response.asString());
        assertEquals("MATCHED", status("multi/a.png", eTagA));
        assertEquals("FAILED", status("multi/bad.png", eTagBad));
        assertEquals("FAILED", status("multi/missing.png", "etag-missing"));
        assertEquals("MATCHED", status("multi/c.png", eTagC));

        // The retry searches only what is not final yet: the bad one (and the object that has vanished, still gone).
        wireMock.resetAll();
        Upstream.matches(wireMock, "person-multi", 0.9);
        LambdaEvents.assertDelivered(event);
        wireMock.verify(1, postRequestedFor(urlEqualTo(Upstream.PATH)));
        assertEquals("MATCHED", status("multi/bad.png", eTagBad));
        assertEquals(1, ResultsTable.object(BUCKET, "multi/a.png").size());
    }

    private static String status(String key, String eTag) {
        return ResultsTable.get("OBJ#" + BUCKET + "/" + key, "V#" + eTag).get("status").s();
    }
}
