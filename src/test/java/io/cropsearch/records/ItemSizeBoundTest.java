package io.cropsearch.records;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Items stay far below DynamoDB's 400 KB whatever the upstream sends. */
@QuarkusTest
@TestProfile(AwsServersProfile.class)
class ItemSizeBoundTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int DYNAMODB_ITEM_LIMIT = 400 * 1024;

    private final WireMockServer wireMock = UpstreamStub.server();

    @BeforeEach
    void resetUpstream() {
        wireMock.resetAll();
    }

    @Test
    void hugeUpstreamAnswerMakesABoundedItem() {
        // 800 candidates with long multi-byte ids and names and five thumbnails each: about 6 MB of JSON, some 15
        // times DynamoDB's item limit (and still quick to serve and parse).
        ObjectNode body = JSON.createObjectNode().put("id", "SC-" + "界".repeat(5000));
        ArrayNode data = body.putArray("data");
        String thumbnailBytes = "A".repeat(512);
        for (int i = 0; i < 800; i++) {
            ObjectNode candidate = data.addObject()
                    .put("id", "person-" + i + "-" + "界".repeat(200))
                    .put("name", "名".repeat(600))
                    .put("score", 0.5 + (i % 500) / 1000.0);
            ArrayNode thumbnails = candidate.putArray("thumbnails");
            for (int t = 0; t < 5; t++) {
                thumbnails.addObject().put("id", "thumb-" + t + "-" + "界".repeat(200)).put("thumbnail", thumbnailBytes);
            }
        }
        body.putObject("signature").put("message", "m".repeat(100_000)).put("dateTime", "d".repeat(100_000));
        String upstreamAnswer = body.toString();
        assertTrue(upstreamAnswer.getBytes(StandardCharsets.UTF_8).length > 10 * DYNAMODB_ITEM_LIMIT);
        wireMock.stubFor(Upstream.search().willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(upstreamAnswer)));
        String key = "size/huge-answer.png";
        String eTag = Uploads.put(key, TestImages.png(120, 120), Map.of("max-results", "100", "search-mode", "ACCURATE"));

        LambdaEvents.assertDelivered(S3Events.event().created(AwsServersProfile.BUCKET, key, 100, eTag, null)
                .json());

        Map<String, AttributeValue> item = ResultsTable.get("OBJ#" + AwsServersProfile.BUCKET + "/" + key, "V#" + eTag);
        int size = ItemShape.sizeOf(item);
        int jsonBytes = ItemShape.toJson(item).toString().getBytes(StandardCharsets.UTF_8).length;
        assertTrue(size <= ItemShape.MAX_ITEM_BYTES, "item size " + size);
        assertTrue(jsonBytes < DYNAMODB_ITEM_LIMIT / 2, "even as JSON the item is small: " + jsonBytes);
        assertEquals("800", item.get("matchCount").n());
        assertTrue(item.get("matchesTruncated").bool());
        List<AttributeValue> matches = item.get("matches").l();
        assertFalse(matches.isEmpty());
        assertTrue(matches.size() <= 100);
        Map<String, AttributeValue> best = matches.get(0).m();
        assertEquals("0.999", best.get("score").n(), "the best candidates are the ones kept");
        assertTrue(best.get("name").s().length() <= 128);
        assertTrue(best.get("thumbnailIds").l().size() <= 3);
        assertFalse(ItemShape.toJson(item).toString().contains(thumbnailBytes.substring(0, 64)),
                "no thumbnail bytes");
    }

    @Test
    void hugeUpstreamErrorMessageIsTruncated() {
        wireMock.stubFor(Upstream.search().willReturn(aResponse().withStatus(409)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"message\":\"" + "x".repeat(500_000) + "\",\"code\":\"MissingParameter\"}")));
        String key = "size/huge-error.png";
        String eTag = Uploads.put(key, TestImages.png(120, 120), Map.of());

        LambdaEvents.assertDelivered(S3Events.event().created(AwsServersProfile.BUCKET, key, 100, eTag, null)
                .json());

        Map<String, AttributeValue> item = ResultsTable.get("OBJ#" + AwsServersProfile.BUCKET + "/" + key, "V#" + eTag);
        assertEquals("REJECTED", item.get("status").s());
        assertTrue(item.get("error").m().get("message").s().length() <= 512);
        assertTrue(ItemShape.sizeOf(item) < 8 * 1024);
    }
}
