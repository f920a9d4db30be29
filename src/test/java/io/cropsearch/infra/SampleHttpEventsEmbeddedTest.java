package io.cropsearch.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cropsearch.testing.LambdaEvents;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The valid sample HTTP event as README's dev mode serves it: the embedded engine on a gallery nobody has enrolled
 * into yet. The event must search as it is (no collection that does not exist yet, an image with a real face), so a
 * first-time user posting it sees the API's success shape, not a 404 or a 409.
 */
@QuarkusTest
@TestProfile(SampleHttpEventsEmbeddedTest.FreshEmbeddedGallery.class)
class SampleHttpEventsEmbeddedTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static class FreshEmbeddedGallery implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("crop-search.backend", "embedded", "crop-search.embedded.gallery-file",
                    "target/test-gallery/sample-events-" + ProcessHandle.current().pid() + "-" + System.nanoTime()
                            + ".json");
        }
    }

    @Test
    void validSampleSearchAnswersAnEmptyResultOnAFreshGallery() throws Exception {
        String event = Files.readString(Path.of("infra/events/http-search-valid.json"));

        Response raw = LambdaEvents.deliver(event);

        assertEquals(200, raw.statusCode(), raw.asString());
        JsonNode response = JSON.readTree(raw.asString());
        assertEquals(200, response.path("statusCode").asInt(), raw.asString());
        JsonNode body = JSON.readTree(response.path("body").asText());
        assertTrue(body.path("data").isArray(), body.toString());
        assertEquals(0, body.path("data").size(), "nobody enrolled, nobody matched: " + body);
        assertTrue(body.path("id").isTextual(), body.toString());
    }
}
