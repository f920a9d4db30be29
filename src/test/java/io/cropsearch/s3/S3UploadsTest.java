package io.cropsearch.s3;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.cropsearch.records.ItemShape;
import io.cropsearch.testing.AwsServersProfile;
import io.cropsearch.testing.LambdaEvents;
import io.cropsearch.testing.ResultsTable;
import io.cropsearch.testing.S3Events;
import io.cropsearch.testing.TestImages;
import io.cropsearch.testing.Upstream;
import io.cropsearch.testing.UpstreamStub;
import io.cropsearch.testing.Uploads;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** S3 uploads end to end: object in the bucket, event delivered, item read back through the DynamoDB API. */
@QuarkusTest
@TestProfile(AwsServersProfile.class)
class S3UploadsTest {
    private static final String BUCKET = AwsServersProfile.BUCKET;

    private final WireMockServer wireMock = UpstreamStub.server();

    @BeforeEach
    void resetUpstream() {
        wireMock.resetAll();
    }

    @Test
    void uploadedImageIsSearchedWithItsMetadataAndRecorded() {
        String key = "e2e/metadata.png";
        byte[] image = TestImages.png(120, 120);
        String eTag = Uploads.put(key, image, Map.of("min-score", "0.8", "search-mode", "ACCURATE",
                "collection-id", "staff-e2e", "max-results", "5"));
        Upstream.matches(wireMock, "person-e2e", 0.91);
        Instant before = Instant.now();

        LambdaEvents.assertDelivered(S3Events.event().created(BUCKET, key, image.length, eTag, null).json());

        JsonPath sent = new JsonPath(onlyUpstreamRequest().getBodyAsString());
        assertEquals(0.8f, sent.getFloat("min_score"));
        assertEquals("ACCURATE", sent.getString("search_mode"));
        assertEquals("staff-e2e", sent.getString("collection_id"));
        assertEquals(5, sent.getInt("max_results"));
        assertEquals(List.of(Base64.getEncoder().encodeToString(image)), sent.getList("images"));

        Map<String, AttributeValue> item = ResultsTable.get("OBJ#" + BUCKET + "/" + key, "V#" + eTag);
        assertNotNull(item);
        assertEquals("s3", item.get("source").s());
        assertEquals("MATCHED", item.get("status").s());
        assertEquals(BUCKET, item.get("bucket").s());
        assertEquals(key, item.get("key").s());
        assertEquals(eTag, item.get("eTag").s());
        assertEquals(Long.toString(image.length), item.get("objectSize").n());
        Map<String, AttributeValue> params = item.get("params").m();
        assertEquals("staff-e2e", params.get("collection_id").s());
        assertEquals("0.8", params.get("min_score").n());
        assertEquals("ACCURATE", params.get("search_mode").s());
        assertEquals("5", params.get("max_results").n());
        assertEquals("1", params.get("image_count").n());
        assertEquals("0.8", item.get("metadata").m().get("min-score").s());
        Map<String, AttributeValue> match = item.get("matches").l().get(0).m();
        assertEquals("person-e2e", match.get("personId").s());
        assertEquals("John Doe", match.get("name").s());
        assertEquals("0.91", match.get("score").n());
        assertEquals(List.of(AttributeValue.fromS("thumb-1")), match.get("thumbnailIds").l());
        assertEquals("person-e2e", item.get("topMatch").m().get("personId").s());
        assertEquals("1", item.get("matchCount").n());
        assertEquals("SC01", item.get("upstreamId").s());
        assertEquals("Certified by Verifik.co", item.get("signature").m().get("message").s());
        assertEquals("1", item.get("attempts").n());
        assertEquals("1", item.get("deliveries").n());
        assertNotNull(item.get("searchMs"));
        assertFalse(ItemShape.toJson(item).toString().contains("iVBORw0KGgo"), "thumbnail bytes must not be kept");

        Instant createdAt = Instant.parse(item.get("createdAt").s());
        assertFalse(createdAt.isBefore(before.minusSeconds(1)));
        long expiresAt = Long.parseLong(item.get(ItemShape.TTL).n());
        assertEquals(createdAt.plus(Duration.ofDays(90)).getEpochSecond(), expiresAt);

        // The access patterns the indexes exist for.
        assertEquals("COL#staff-e2e", item.get(ItemShape.GSI1_PK).s());
        assertTrue(ResultsTable.byCollection("staff-e2e").stream()
                .anyMatch(i -> i.get("key").s().equals(key)));
        assertTrue(ResultsTable.byPerson("person-e2e").stream()
                .anyMatch(i -> i.get("key").s().equals(key)));
    }

    @Test
    void configuredDefaultsApplyWhenTheObjectHasNoMetadata() {
        String key = "e2e/defaults.jpg";
        byte[] image = TestImages.jpeg(120, 120);
        String eTag = Uploads.put(key, image, Map.of());
        Upstream.noMatch(wireMock);

        LambdaEvents.assertDelivered(S3Events.event().created(BUCKET, key, image.length, eTag, null).json());

        JsonPath sent = new JsonPath(onlyUpstreamRequest().getBodyAsString());
        assertEquals(0.7f, sent.getFloat("min_score"));
        assertEquals("FAST", sent.getString("search_mode"));
        assertNull(sent.get("collection_id"));
        assertNull(sent.get("max_results"));
        Map<String, AttributeValue> item = ResultsTable.get("OBJ#" + BUCKET + "/" + key, "V#" + eTag);
        assertEquals("NO_MATCH", item.get("status").s());
        assertEquals("0", item.get("matchCount").n());
        assertEquals("COL#" + ItemShape.ALL_COLLECTIONS, item.get(ItemShape.GSI1_PK).s());
        assertNull(item.get(ItemShape.GSI2_PK), "no top match, so not in the byPerson index");
    }

    @Test
    void metadataBreakingTheContractIsRejectedWithoutSearching() {
        String key = "e2e/too-low.png";
        String eTag = Uploads.put(key, TestImages.png(120, 120), Map.of("min-score", "0.2"));
        Upstream.matches(wireMock, "nobody", 0.9);

        LambdaEvents.assertDelivered(S3Events.event().created(BUCKET, key, 100, eTag, null).json());

        wireMock.verify(0, postRequestedFor(urlEqualTo(Upstream.PATH)));
        Map<String, AttributeValue> item = ResultsTable.get("OBJ#" + BUCKET + "/" + key, "V#" + eTag);
        assertEquals("REJECTED", item.get("status").s());
        Map<String, AttributeValue> error = item.get("error").m();
        assertEquals("InvalidParameter", error.get("code").s());
        assertEquals("\"min_score\" must be greater than or equal to 0.5", error.get("message").s());
        assertEquals("409", error.get("status").n());
        assertEquals("0.2", item.get("metadata").m().get("min-score").s());
    }

    @Test
    void keysAreUrlDecodedSpacesPlusAndUnicode() {
        String key = "faces/Jane Doe+1 ünïcødé 顔 😀.png";
        byte[] image = TestImages.png(120, 120);
        String eTag = Uploads.put(key, image, Map.of());
        Upstream.matches(wireMock, "person-unicode", 0.88);

        String event = S3Events.event().created(BUCKET, key, image.length, eTag, null).json();
        assertTrue(event.contains("Jane+Doe%2B1+%C3%BCn"), event);
        LambdaEvents.assertDelivered(event);

        Map<String, AttributeValue> item = ResultsTable.get("OBJ#" + BUCKET + "/" + key, "V#" + eTag);
        assertNotNull(item, "record keyed by the decoded key");
        assertEquals(key, item.get("key").s());
        assertEquals("MATCHED", item.get("status").s());
    }

    @Test
    void percentTwentySpacesAreDecodedToo() {
        String key = "faces/with space.png";
        byte[] image = TestImages.png(100, 100);
        String eTag = Uploads.put(key, image, Map.of());
        Upstream.matches(wireMock, "person-space", 0.8);

        LambdaEvents.assertDelivered(S3Events.event().record("ObjectCreated:Put", BUCKET, "faces/with%20space.png",
                (long) image.length, eTag, null).json());

        assertEquals("MATCHED", ResultsTable.get("OBJ#" + BUCKET + "/" + key, "V#" + eTag).get("status").s());
    }

    @Test
    void keysThatAreNotImagesAreSkippedWithARecord() {
        String key = "docs/readme.txt";

        LambdaEvents.assertDelivered(S3Events.event().created(BUCKET, key, 12, "etag-txt", null).json());

        wireMock.verify(0, postRequestedFor(urlEqualTo(Upstream.PATH)));
        Map<String, AttributeValue> item = ResultsTable.get("OBJ#" + BUCKET + "/" + key, "V#etag-txt");
        assertEquals("SKIPPED", item.get("status").s());
        assertEquals("not_an_image_key", item.get("skipReason").s());
    }

    @Test
    void objectsOverTheSizeLimitAreSkippedWithoutReading() {
        String key = "big/huge.png";

        LambdaEvents.assertDelivered(S3Events.event().created(BUCKET, key, 50_000_000L, "etag-huge", "v-huge").json());

        Map<String, AttributeValue> item = ResultsTable.get("OBJ#" + BUCKET + "/" + key, "V#v-huge");
        assertEquals("SKIPPED", item.get("status").s());
        assertEquals("object_too_large", item.get("skipReason").s());
        assertEquals("v-huge", item.get("versionId").s());
    }

    @Test
    void objectsOverTheLimitAreSkippedEvenWhenTheEventOmitsTheSize() {
        String key = "big/no-size.png";
        String eTag = Uploads.put(key, new byte[300_000], Map.of());

        LambdaEvents.assertDelivered(S3Events.event().record("ObjectCreated:Put", BUCKET, key, null, eTag, null).json());

        wireMock.verify(0, postRequestedFor(urlEqualTo(Upstream.PATH)));
        assertEquals("object_too_large",
                ResultsTable.get("OBJ#" + BUCKET + "/" + key, "V#" + eTag).get("skipReason").s());
    }

    @Test
    void eventsOtherThanObjectCreatedAreIgnored() {
        String key = "e2e/deleted.png";

        Response response = LambdaEvents.deliver(S3Events.event()
                .record("ObjectRemoved:Delete", BUCKET, key, null, null, null).json());

        assertEquals(200, response.statusCode());
        assertTrue(response.jsonPath().getString("body").contains("\"ignored\":1"));
        assertTrue(ResultsTable.object(BUCKET, key).isEmpty());
    }

    private LoggedRequest onlyUpstreamRequest() {
        List<LoggedRequest> requests = wireMock.findAll(postRequestedFor(urlEqualTo(Upstream.PATH)));
        assertEquals(1, requests.size());
        return requests.get(0);
    }
}
