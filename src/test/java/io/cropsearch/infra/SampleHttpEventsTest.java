package io.cropsearch.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Feeds the API Gateway HTTP API v2 sample events of infra/events/ to the function as Lambda would, raw, through the
 * mock event server's {@code /_lambda_}, and reads the API Gateway response the function returns. The upstream is a
 * closed local port, so a request that passes validation ends in the contract's upstream error.
 */
@QuarkusTest
@TestProfile(SampleHttpEventsTest.UnreachableUpstream.class)
class SampleHttpEventsTest {
    private static final Path EVENTS = Path.of("infra/events");
    private static final ObjectMapper JSON = new ObjectMapper();

    public static class UnreachableUpstream implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "quarkus.rest-client.verifik.url", "http://127.0.0.1:1",
                    "crop-search.upstream.fast-budget", "500ms",
                    "crop-search.upstream.accurate-budget", "500ms");
        }
    }

    @Test
    void invalidMinScoreIsRefusedWithTheContractsJoiStyleMessage() throws IOException {
        ApiGatewayResponse response = invoke("http-search-invalid-min-score.json");
        assertEquals(409, response.statusCode, response.toString());
        assertEquals("{\"message\":\"\\\"min_score\\\" must be greater than or equal to 0.5\",\"code\":\"InvalidParameter\"}",
                response.body.toString());
    }

    @Test
    void missingAuthorizationIsRefusedBeforeAnythingElse() throws IOException {
        ApiGatewayResponse response = invoke("http-search-missing-auth.json");
        assertEquals(401, response.statusCode, response.toString());
        assertEquals("{\"message\":\"Authentication required\",\"code\":\"UNAUTHORIZED\"}", response.body.toString());
    }

    @Test
    void validSearchPassesValidationAndReachesForTheUpstream() throws IOException {
        ApiGatewayResponse response = invoke("http-search-valid.json");
        // Not a refusal of the request itself (401, 409, 400, 413, 415): the search went to the upstream, which is down.
        assertTrue(Set.of(502, 504).contains(response.statusCode), response.toString());
        assertEquals(Set.of("message", "code"), fieldNames(response.body), "the contract's error shape");
        if (response.statusCode == 502) {
            assertEquals("upstream_error", response.body.path("message").asText());
            assertEquals("ERROR", response.body.path("code").asText());
        } else {
            assertEquals("upstream_timeout", response.body.path("message").asText());
            assertEquals("TIMEOUT", response.body.path("code").asText());
        }
    }

    @Test
    void responsesAreJson() throws IOException {
        ApiGatewayResponse response = invoke("http-search-invalid-min-score.json");
        String contentType = response.raw.path("headers").path("Content-Type").asText(
                response.raw.path("headers").path("content-type").asText());
        assertTrue(contentType.startsWith("application/json"), response.toString());
    }

    private static ApiGatewayResponse invoke(String eventFile) throws IOException {
        String event = Files.readString(EVENTS.resolve(eventFile), StandardCharsets.UTF_8);
        String raw = given()
                .contentType(ContentType.JSON)
                .body(event)
                .when().post("/_lambda_")
                .then().statusCode(200)
                .extract().asString();
        JsonNode response = JSON.readTree(raw);
        String body = response.path("body").asText("");
        if (response.path("isBase64Encoded").asBoolean(false)) {
            body = new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
        }
        return new ApiGatewayResponse(response.path("statusCode").asInt(-1), JSON.readTree(body), response);
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new java.util.TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private record ApiGatewayResponse(int statusCode, JsonNode body, JsonNode raw) {
    }
}
