package io.cropsearch.records;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.cropsearch.model.SearchStatus;
import io.cropsearch.records.sink.DynamoDbResultSink;
import io.cropsearch.testing.AwsServersDemoProfile;
import io.cropsearch.testing.AwsServersProfile;
import io.cropsearch.testing.DynaliteServer;
import io.cropsearch.testing.LambdaEvents;
import io.cropsearch.testing.Requests;
import io.cropsearch.testing.S3Events;
import io.cropsearch.testing.TestImages;
import io.cropsearch.testing.Upstream;
import io.cropsearch.testing.UpstreamStub;
import io.cropsearch.testing.Uploads;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.cropsearch.records.LatestRecordsTest.api;
import static io.cropsearch.records.LatestRecordsTest.s3;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code GET /v2/crop-search/records} over a real DynamoDB API (dynalite; the function's table sink, the demo page on):
 * records the function wrote for an HTTP search and an S3 upload, then collection, since, limit and newest-first order
 * on records written with the sink's own code; 409s for bad parameters; a table that cannot be reached is a 503.
 */
@QuarkusTest
@TestProfile(AwsServersDemoProfile.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RecordsEndpointDynamoDbTest {
    private static final String RECORDS = "/v2/crop-search/records";

    private final WireMockServer wireMock = UpstreamStub.server();

    @BeforeEach
    void resetUpstream() {
        wireMock.resetAll();
    }

    @Test
    @Order(1)
    void whatTheFunctionRecordedForAnHttpSearchAndAnUploadIsListed() throws InterruptedException {
        String collection = "browse-" + UUID.randomUUID();
        Upstream.matches(wireMock, "person-browse", 0.93);
        Map<String, Object> body = Requests.validBody();
        body.put("collection_id", collection);
        Requests.post(body).statusCode(200);

        String key = "crops/browse " + UUID.randomUUID() + ".png";
        byte[] image = TestImages.png(120, 120);
        String eTag = Uploads.put(key, image, Map.of("collection-id", collection));
        LambdaEvents.assertDelivered(S3Events.event().created(AwsServersProfile.BUCKET, key, image.length, eTag, null)
                .json());

        // The HTTP search's record is written in the background (it may finish after the answer).
        JsonPath records = null;
        for (int i = 0; i < 100; i++) {
            records = records(Map.of("collection_id", collection)).then().statusCode(200).extract().jsonPath();
            if (records.getList("data").size() == 2) {
                break;
            }
            Thread.sleep(50);
        }
        assertEquals(2, records.getList("data").size(), records.prettify());
        assertEquals("s3", records.getString("data[0].source.type"), "the upload came last");
        assertEquals(AwsServersProfile.BUCKET, records.getString("data[0].source.bucket"));
        assertEquals(key, records.getString("data[0].source.key"));
        assertEquals("api", records.getString("data[1].source.type"));
        for (int i = 0; i < 2; i++) {
            assertEquals("MATCHED", records.getString("data[" + i + "].status"));
            assertEquals("person-browse", records.getString("data[" + i + "].topMatch.personId"));
            assertEquals("John Doe", records.getString("data[" + i + "].topMatch.name"));
            assertEquals(0.93, records.getDouble("data[" + i + "].topMatch.score"), 1e-9);
            assertEquals(collection, records.getString("data[" + i + "].collection"));
        }
        assertTrue(!records.prettify().contains("thumb") && !records.prettify().contains(AwsServersProfile.TOKEN),
                "neither thumbnails nor the token: " + records.prettify());
    }

    @Test
    @Order(2)
    void collectionSinceAndLimitAreAnsweredByTheIndexNewestFirst() {
        String collection = "browse-many-" + UUID.randomUUID();
        String other = "browse-other-" + UUID.randomUUID();
        Instant t0 = Instant.parse("2026-11-30T05:00:00Z");
        try (DynamoDbClient client = DynaliteServer.client()) {
            DynamoDbResultSink sink = new DynamoDbResultSink(client, AwsServersProfile.TABLE);
            // Written out of time order: the index, not the write order, decides.
            for (int i : new int[] {3, 0, 4, 1, 2}) {
                sink.write(api("rec-" + i, collection, t0.plusSeconds(i), "person-" + i, 0.9));
            }
            sink.write(api("rec-other", other, t0.plusSeconds(10), "someone", 0.9));
            String key = "crops/retried-" + UUID.randomUUID() + ".png";
            sink.write(s3(key, collection, t0.plusMillis(2500), SearchStatus.FAILED, "upload-failed"));
            sink.write(s3(key, collection, t0.plusSeconds(5), SearchStatus.MATCHED, "upload-retried"));
        }

        assertEquals(List.of("upload-retried", "rec-4", "rec-3", "rec-2", "rec-1", "rec-0"),
                ids(Map.of("collection_id", collection)), "newest first; the failed delivery was replaced");
        assertEquals(List.of("upload-retried", "rec-4"), ids(Map.of("collection_id", collection, "limit", "2")));
        assertEquals(List.of("upload-retried", "rec-4", "rec-3"),
                ids(Map.of("collection_id", collection, "since", "2026-11-30T05:00:03Z")));
        assertEquals(List.of("upload-retried", "rec-4"),
                ids(Map.of("collection_id", collection, "since", "2026-11-30T07:00:03.001+02:00", "limit", "50")));
        assertEquals(List.of("rec-other"), ids(Map.of("collection_id", other)));
    }

    @Test
    @Order(3)
    void badParametersAre409s() {
        for (Map<String, String> query : List.<Map<String, String>>of(Map.of("limit", "51"), Map.of("limit", "0"),
                Map.of("since", "last week"), Map.of("collection_id", "a/b"))) {
            Response response = records(query);
            assertEquals(409, response.statusCode(), query + ": " + response.asString());
            assertEquals("InvalidParameter", response.jsonPath().getString("code"));
            String name = query.keySet().iterator().next();
            assertTrue(response.jsonPath().getString("message").startsWith("\"" + name + "\""),
                    response.jsonPath().getString("message"));
        }
    }

    @Test
    @Order(4)
    void aTableThatCannotBeReachedIsA503NotA500() {
        DynaliteServer.kill();
        try {
            Response response = records(Map.of("collection_id", "anything"));
            assertEquals(503, response.statusCode(), response.asString());
            assertEquals("UNAVAILABLE", response.jsonPath().getString("code"));
            assertEquals("records_unavailable", response.jsonPath().getString("message"));
        } finally {
            DynaliteServer.ensureRunning();
            DynaliteServer.createTable(AwsServersProfile.TABLE);
        }
        records(Map.of("collection_id", "anything")).then().statusCode(200);
    }

    private static List<String> ids(Map<String, String> query) {
        return records(query).then().statusCode(200).extract().jsonPath().getList("data.recordId");
    }

    private static Response records(Map<String, String> query) {
        return RestAssured.given().header("Authorization", "Bearer " + Requests.TOKEN).queryParams(query).get(RECORDS);
    }
}
