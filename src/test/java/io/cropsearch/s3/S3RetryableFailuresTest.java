package io.cropsearch.s3;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.cropsearch.config.CropSearchConfig;
import io.cropsearch.entrypoints.S3EventHandler;
import io.cropsearch.observability.SearchMetrics;
import io.cropsearch.records.HttpSearchRecorder;
import io.cropsearch.records.RecordCounters;
import io.cropsearch.records.RecordFactory;
import io.cropsearch.records.sink.ResultSink;
import io.cropsearch.search.CropSearchService;
import io.cropsearch.search.SearchBackend;
import io.cropsearch.search.SearchBudget;
import io.cropsearch.testing.AwsServersProfile;
import io.cropsearch.testing.LambdaEvents;
import io.cropsearch.testing.LogCapture;
import io.cropsearch.testing.ResultsTable;
import io.cropsearch.testing.S3Events;
import io.cropsearch.testing.TestImages;
import io.cropsearch.testing.Upstream;
import io.cropsearch.testing.UpstreamStub;
import io.cropsearch.testing.Uploads;
import io.cropsearch.validation.CropSearchValidator;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;

import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * On the S3 path only a refusal of the input is final; every other failure fails the invocation (so that Lambda
 * retries, then hands the event to the on-failure destination) and leaves a FAILED record a later delivery replaces.
 */
@QuarkusTest
@TestProfile(AwsServersProfile.class)
class S3RetryableFailuresTest {
    private static final String BUCKET = AwsServersProfile.BUCKET;

    private final WireMockServer wireMock = UpstreamStub.server();

    @Inject
    S3Client s3;
    @Inject
    CropSearchValidator validator;
    @Inject
    SearchBudget budget;
    @Inject
    ResultSink sink;
    @Inject
    RecordFactory records;
    @Inject
    RecordCounters counters;
    @Inject
    SearchMetrics metrics;
    @Inject
    CropSearchConfig config;
    @Inject
    HttpSearchRecorder httpRecorder;

    @BeforeEach
    void resetUpstream() {
        wireMock.resetAll();
    }

    /** 500 and 501 are not among the statuses the client retries (502-504): they were recorded as final before. */
    @ParameterizedTest
    @ValueSource(ints = {500, 501, 505, 599})
    void everyUpstream5xxFailsTheInvocationAndTheRetryReplacesTheRecord(int status) {
        String key = "retryable/upstream-" + status + ".png";
        String eTag = Uploads.put(key, TestImages.png(120, 120), Map.of());
        String event = S3Events.event().created(BUCKET, key, 100, eTag, null).json();
        Upstream.status(wireMock, status);

        assertRetriedWithReplaceableRecord(event, key, eTag);
    }

    @Test
    void aMalformedUpstreamAnswerFailsTheInvocation() {
        String key = "retryable/malformed.png";
        String eTag = Uploads.put(key, TestImages.png(120, 120), Map.of());
        String event = S3Events.event().created(BUCKET, key, 100, eTag, null).json();
        wireMock.stubFor(Upstream.search().willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"data\":")));

        assertRetriedWithReplaceableRecord(event, key, eTag);
    }

    @Test
    void theUpstreamsRefusalOfTheInputStaysFinal() {
        String key = "retryable/refused-409.png";
        String eTag = Uploads.put(key, TestImages.png(120, 120), Map.of());
        wireMock.stubFor(Upstream.search().willReturn(aResponse().withStatus(409)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"message\":\"no face found\",\"code\":\"MissingParameter\"}")));

        LambdaEvents.assertDelivered(S3Events.event().created(BUCKET, key, 100, eTag, null).json());

        Map<String, AttributeValue> item = ResultsTable.get("OBJ#" + BUCKET + "/" + key, "V#" + eTag);
        assertEquals("REJECTED", item.get("status").s());
        assertEquals(false, item.get("error").m().get("transient").bool());
    }

    @Test
    void anUnexpectedExceptionFailsTheInvocationWithAReplaceableRecord() throws Exception {
        String key = "retryable/bug.png";
        String eTag = Uploads.put(key, TestImages.png(120, 120), Map.of());
        String event = S3Events.event().created(BUCKET, key, 100, eTag, null).json();
        // A backend with a bug (or whose gallery store is down): what no rule foresaw.
        SearchBackend broken = (search, token, deadline) -> {
            throw new IllegalStateException("a bug, with request data in its message");
        };
        CropSearchService service = new CropSearchService(validator, budget, broken, metrics, httpRecorder);
        S3EventHandler handler = new S3EventHandler(new S3UploadProcessor(s3, service, sink, records, counters, metrics,
                config), counters);
        long retriesBefore = counters.retriesRequested();

        S3EventHandler.S3DeliveryFailedException failed;
        List<String> failedMetrics;
        try (LogCapture emf = LogCapture.start(SearchMetrics.CATEGORY)) {
            failed = assertThrows(S3EventHandler.S3DeliveryFailedException.class,
                    () -> handler.handle(new ObjectMapper().readTree(event).get("Records"), null));
            failedMetrics = emf.lines();
        }
        // Measured once, by the service's sequence, not again when the processor writes the record.
        assertOneS3Metric(failedMetrics, "FAILED");

        assertTrue(failed.getMessage().contains(S3UploadProcessor.UNEXPECTED_ERROR), failed.getMessage());
        assertEquals(retriesBefore + 1, counters.retriesRequested());
        Map<String, AttributeValue> item = ResultsTable.get("OBJ#" + BUCKET + "/" + key, "V#" + eTag);
        assertEquals("FAILED", item.get("status").s());
        Map<String, AttributeValue> error = item.get("error").m();
        assertEquals(S3UploadProcessor.UNEXPECTED_ERROR, error.get("code").s());
        assertEquals("unexpected IllegalStateException", error.get("message").s());
        assertEquals(true, error.get("transient").bool());
        // The failure came out of CropSearchService's sequence, after validation: the record says what was searched.
        assertTrue(item.containsKey("params"), "the validated search is recorded: " + item.keySet());
        assertEquals("FAST", item.get("params").m().get("search_mode").s());

        // Once fixed, the redriven event is searched and replaces the FAILED record.
        Upstream.matches(wireMock, "person-after-fix", 0.9);
        try (LogCapture emf = LogCapture.start(SearchMetrics.CATEGORY)) {
            LambdaEvents.assertDelivered(event);
            assertOneS3Metric(emf.lines(), "MATCHED");
        }
        List<Map<String, AttributeValue>> items = ResultsTable.object(BUCKET, key);
        assertEquals(1, items.size());
        assertEquals("MATCHED", items.get(0).get("status").s());
        assertEquals("2", items.get(0).get("deliveries").n());
    }

    private static void assertOneS3Metric(List<String> emfLines, String status) throws Exception {
        assertEquals(1, emfLines.size(), "one EMF line per delivery: " + emfLines);
        JsonNode line = new ObjectMapper().readTree(emfLines.get(0).substring(emfLines.get(0).indexOf('{')));
        assertEquals("s3", line.path("Source").asText(), line.toString());
        assertEquals(status, line.path("Status").asText(), line.toString());
    }

    private void assertRetriedWithReplaceableRecord(String event, String key, String eTag) {
        Response first = LambdaEvents.deliver(event);

        assertEquals(500, first.statusCode(), "the invocation must fail so that Lambda retries: " + first.asString());
        Map<String, AttributeValue> failed = ResultsTable.get("OBJ#" + BUCKET + "/" + key, "V#" + eTag);
        assertEquals("FAILED", failed.get("status").s());
        assertEquals(true, failed.get("error").m().get("transient").bool());

        wireMock.resetAll();
        Upstream.matches(wireMock, "person-retried", 0.9);
        LambdaEvents.assertDelivered(event);

        List<Map<String, AttributeValue>> items = ResultsTable.object(BUCKET, key);
        assertEquals(1, items.size());
        assertEquals("MATCHED", items.get(0).get("status").s());
        assertEquals("2", items.get(0).get("deliveries").n());
    }
}
