package io.cropsearch.s3;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cropsearch.testing.AwsServersProfile;
import io.cropsearch.testing.LambdaEvents;
import io.cropsearch.testing.ResultsTable;
import io.cropsearch.testing.TestImages;
import io.cropsearch.testing.Uploads;
import io.cropsearch.testing.Upstream;
import io.cropsearch.testing.UpstreamStub;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The S3 sample events under infra/events/ (the ones `sam local invoke` users start from) delivered to the function.
 * Each record's object is put into the test bucket under the event's decoded key, so the files keep their keys,
 * encodings and shapes; only what a real upload decides is taken from the upload: the bucket, the eTag, the size, and
 * no versionId (the test S3 server does not version).
 */
@QuarkusTest
@TestProfile(AwsServersProfile.class)
class SampleS3EventsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @ValueSource(strings = {"s3-put-single.json", "s3-put-multi.json", "s3-put-encoded-key.json", "s3-put-photo.json"})
    void everyRecordOfTheSampleEventEndsAsAResultRecord(String file) throws Exception {
        JsonNode event = JSON.readTree(Files.readString(Path.of("infra/events", file)));
        assertTrue(event.path("Records").size() >= 1, file + " has records");
        UpstreamStub.server().resetAll();
        Upstream.matches(UpstreamStub.server(), "person-" + file, 0.88);
        // Whole photos (larger than the crop limits) are searched at the upstream's standard search.
        Upstream.photoMatches(UpstreamStub.server(), "person-" + file, 0.88);

        for (JsonNode record : event.get("Records")) {
            assertEquals("aws:s3", record.path("eventSource").asText());
            ObjectNode s3 = (ObjectNode) record.get("s3");
            ObjectNode object = (ObjectNode) s3.get("object");
            String key = URLDecoder.decode(object.get("key").asText(), StandardCharsets.UTF_8);
            byte[] image = imageFor(key);
            String eTag = Uploads.put(key, image, Map.of());
            ((ObjectNode) s3.get("bucket")).put("name", AwsServersProfile.BUCKET);
            object.put("eTag", eTag).put("size", image.length).remove("versionId");
        }

        LambdaEvents.assertDelivered(JSON.writeValueAsString(event));

        for (JsonNode record : event.get("Records")) {
            JsonNode object = record.path("s3").path("object");
            String key = URLDecoder.decode(object.get("key").asText(), StandardCharsets.UTF_8);
            Map<String, AttributeValue> item = ResultsTable.get("OBJ#" + AwsServersProfile.BUCKET + "/" + key,
                    "V#" + object.get("eTag").asText());
            assertNotNull(item, "record for " + key);
            assertEquals(key, item.get("key").s());
            assertEquals("MATCHED", item.get("status").s(), key);
            assertEquals("person-" + file, item.get("topMatch").m().get("personId").s());
            assertEquals(key.contains("photos/") ? "search" : null,
                    item.containsKey("endpoint") ? item.get("endpoint").s() : null, key);
        }
    }

    private static byte[] imageFor(String key) {
        String lower = key.toLowerCase(Locale.ROOT);
        if (lower.contains("photos/")) {
            return TestImages.jpeg(1600, 900); // beyond the crop limits (1024 px a side): a whole photo
        }
        if (lower.endsWith(".png")) {
            return TestImages.png(120, 120);
        }
        if (lower.endsWith(".webp")) {
            return TestImages.webpLossless(120, 120);
        }
        return TestImages.jpeg(120, 120);
    }
}
