package io.cropsearch.records;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.cropsearch.observability.SearchMetrics;
import io.cropsearch.search.CropSearchService;
import io.cropsearch.search.SearchBackend;
import io.cropsearch.search.SearchBudget;
import io.cropsearch.validation.CropSearchValidator;
import io.cropsearch.testing.AwsServersProfile;
import io.cropsearch.testing.DynaliteServer;
import io.cropsearch.testing.LogCapture;
import io.cropsearch.testing.ResultsTable;
import io.cropsearch.testing.TestImages;
import io.cropsearch.testing.Upstream;
import io.cropsearch.testing.UpstreamStub;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * HTTP searches are recorded too, and a sink in trouble never fails or holds up the HTTP answer; a record not written
 * in time is spilled to the log whole, counted, and can be replayed into the table.
 */
@QuarkusTest
@TestProfile(AwsServersProfile.class)
class HttpSearchRecordingTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final WireMockServer wireMock = UpstreamStub.server();

    @Inject
    RecordCounters counters;
    @Inject
    CropSearchValidator validator;
    @Inject
    SearchBudget budget;
    @Inject
    SearchMetrics metrics;
    @Inject
    HttpSearchRecorder recorder;

    @BeforeEach
    void resetUpstream() {
        wireMock.resetAll();
    }

    @Test
    void httpSearchLeavesAnApiRecord() {
        String collection = "http-" + UUID.randomUUID();
        Upstream.matches(wireMock, "person-http", 0.95);

        search(collection).then().statusCode(200).body("data[0].id", equalTo("person-http"));

        List<Map<String, AttributeValue>> items = ResultsTable.byCollection(collection);
        assertEquals(1, items.size());
        Map<String, AttributeValue> item = items.get(0);
        assertEquals("api", item.get("source").s());
        assertEquals("MATCHED", item.get("status").s());
        assertTrue(item.get(ItemShape.PK).s().startsWith("REQ#"));
        assertEquals("RESULT", item.get(ItemShape.SK).s());
        assertEquals(collection, item.get("params").m().get("collection_id").s());
        assertEquals("person-http", item.get("topMatch").m().get("personId").s());
    }

    @Test
    void upstreamRefusalOfAnHttpSearchIsRecordedAsFailed() {
        String collection = "http-fail-" + UUID.randomUUID();
        Upstream.status(wireMock, 500);

        search(collection).then().statusCode(502);

        Map<String, AttributeValue> item = ResultsTable.byCollection(collection).get(0);
        assertEquals("FAILED", item.get("status").s());
        assertEquals("ERROR", item.get("error").m().get("code").s());
    }

    @Test
    void sinkTroubleNeitherFailsNorHoldsUpTheHttpAnswer() throws InterruptedException {
        Upstream.matches(wireMock, "person-http-down", 0.95);
        long failuresBefore = counters.httpRecordFailures();

        DynaliteServer.kill();
        try {
            long started = System.nanoTime();
            search("http-down").then().statusCode(200).body("data[0].id", equalTo("person-http-down"));
            long millis = (System.nanoTime() - started) / 1_000_000;
            // The answer waits at most crop-search.records.http-wait (200 ms) for the record, plus the search itself.
            assertTrue(millis < 1500, "answered in " + millis + " ms");
            // The write goes on in the background until the SDK gives up retrying (about 5 s against a closed port).
            for (int i = 0; i < 600 && counters.httpRecordFailures() == failuresBefore; i++) {
                Thread.sleep(50);
            }
            assertEquals(failuresBefore + 1, counters.httpRecordFailures());
        } finally {
            DynaliteServer.ensureRunning();
            DynaliteServer.createTable(AwsServersProfile.TABLE);
        }
    }

    @Test
    void aRecordNotWrittenInTimeIsSpilledToTheLogWholeAndCanBeReplayed() throws Exception {
        String collection = "http-spill-" + UUID.randomUUID();
        Upstream.matches(wireMock, "person-spilled", 0.95);
        long spilledBefore = counters.httpRecordsSpilled();
        long failuresBefore = counters.httpRecordFailures();

        List<String> spilled;
        DynaliteServer.kill();
        try (LogCapture emf = LogCapture.start(SearchMetrics.CATEGORY)) {
            long started = System.nanoTime();
            search(collection).then().statusCode(200).body("data[0].id", equalTo("person-spilled"));
            long millis = (System.nanoTime() - started) / 1_000_000;
            assertTrue(millis < 1500, "answered in " + millis + " ms");
            spilled = emf.lines().stream().filter(l -> l.contains("\"" + SearchMetrics.SPILLED_FIELD + "\"")).toList();
            // Let the background write give up before DynamoDB comes back, so that only the replay can write the item.
            for (int i = 0; i < 600 && counters.httpRecordFailures() == failuresBefore; i++) {
                Thread.sleep(50);
            }
        } finally {
            DynaliteServer.ensureRunning();
            DynaliteServer.createTable(AwsServersProfile.TABLE);
        }

        assertEquals(1, spilled.size(), "one spilled line: " + spilled);
        assertEquals(spilledBefore + 1, counters.httpRecordsSpilled());
        JsonNode line = JSON.readTree(spilled.get(0).substring(spilled.get(0).indexOf('{')));
        // The line is a CloudWatch EMF line counting the spill...
        JsonNode directive = line.at("/_aws/CloudWatchMetrics/0");
        assertEquals(SearchMetrics.NAMESPACE, directive.get("Namespace").asText());
        assertEquals(SearchMetrics.SPILLED_METRIC, directive.at("/Metrics/0/Name").asText());
        assertEquals(1, line.get(SearchMetrics.SPILLED_METRIC).asInt());
        assertEquals("api", line.get("Source").asText());
        // ...and carries the whole item, replayable as tools/records/replay.sh does it: a conditional PutItem.
        Map<String, AttributeValue> item = ItemShape.fromExportLine(line.get(SearchMetrics.SPILLED_FIELD).toString());
        assertTrue(ResultsTable.byCollection(collection).isEmpty(), "the write itself never reached the table");
        try (DynamoDbClient client = DynaliteServer.client()) {
            client.putItem(PutItemRequest.builder().tableName(AwsServersProfile.TABLE).item(item)
                    .conditionExpression("attribute_not_exists(pk)").build());
        }

        List<Map<String, AttributeValue>> items = ResultsTable.byCollection(collection);
        assertEquals(1, items.size());
        Map<String, AttributeValue> replayed = items.get(0);
        assertEquals("api", replayed.get("source").s());
        assertEquals("MATCHED", replayed.get("status").s());
        assertTrue(replayed.get(ItemShape.PK).s().startsWith("REQ#"));
        assertEquals("person-spilled", replayed.get("topMatch").m().get("personId").s());
        assertEquals(item, replayed);
    }

    @Test
    void anUnauthenticatedSearchLeavesNoRecordButIsCounted() {
        String collection = "http-anonymous-" + UUID.randomUUID();
        wireMock.stubFor(Upstream.search().willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse()
                .withStatus(401).withHeader("Content-Type", "application/json")
                .withBody("{\"message\":\"Authentication required\",\"code\":\"UNAUTHORIZED\"}")));

        List<String> lines;
        try (LogCapture emf = LogCapture.start(SearchMetrics.CATEGORY)) {
            search(collection).then().statusCode(401);
            lines = emf.lines();
        }

        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).contains("\"Source\":\"api\",\"Status\":\"REJECTED\""), lines.get(0));
        assertTrue(ResultsTable.byCollection(collection).isEmpty(), "an anonymous caller must not fill the table");
    }

    @Test
    void anUnexpectedFailureStillLeavesAMetricAndAFailedRecord() {
        String collection = "http-bug-" + UUID.randomUUID();
        // A backend with a bug, or whose gallery table is down: what no rule foresaw.
        SearchBackend broken = (search, token, deadline) -> {
            throw new IllegalStateException("a bug, with request data in its message");
        };
        CropSearchService service = new CropSearchService(validator, budget, broken, metrics, recorder);
        byte[] body = searchBody(collection).getBytes(StandardCharsets.UTF_8);

        List<String> lines;
        try (LogCapture emf = LogCapture.start(SearchMetrics.CATEGORY)) {
            assertThrows(IllegalStateException.class, () -> service.searchHttp(body, "caller-token", -1),
                    "the caller still gets the unexpected failure (a 500)");
            lines = emf.lines();
        }

        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).contains("\"Source\":\"api\",\"Status\":\"FAILED\""), lines.get(0));
        List<Map<String, AttributeValue>> items = ResultsTable.byCollection(collection);
        assertEquals(1, items.size());
        assertEquals("FAILED", items.get(0).get("status").s());
        Map<String, AttributeValue> error = items.get(0).get("error").m();
        assertEquals(CropSearchService.UNEXPECTED_ERROR, error.get("code").s());
        assertEquals("unexpected IllegalStateException", error.get("message").s());
        assertEquals("500", error.get("status").n());
    }

    private static io.restassured.response.Response search(String collection) {
        return given().contentType(ContentType.JSON).header("Authorization", "Bearer caller-token")
                .body(searchBody(collection)).when().post(Upstream.PATH).thenReturn();
    }

    private static String searchBody(String collection) {
        String image = Base64.getEncoder().encodeToString(TestImages.png(120, 120));
        return "{\"images\":[\"" + image + "\"],\"collection_id\":\"" + collection
                + "\",\"min_score\":0.7,\"search_mode\":\"FAST\"}";
    }
}
