package io.cropsearch.records;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.cropsearch.testing.AwsServersProfile;
import io.cropsearch.testing.DynaliteServer;
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
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** HTTP searches are recorded too, and a sink in trouble never fails or holds up the HTTP answer. */
@QuarkusTest
@TestProfile(AwsServersProfile.class)
class HttpSearchRecordingTest {
    private final WireMockServer wireMock = UpstreamStub.server();

    @Inject
    RecordCounters counters;

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

    private static io.restassured.response.Response search(String collection) {
        String image = Base64.getEncoder().encodeToString(TestImages.png(120, 120));
        return given().contentType(ContentType.JSON).header("Authorization", "Bearer caller-token")
                .body("{\"images\":[\"" + image + "\"],\"collection_id\":\"" + collection
                        + "\",\"min_score\":0.7,\"search_mode\":\"FAST\"}")
                .when().post(Upstream.PATH).thenReturn();
    }
}
