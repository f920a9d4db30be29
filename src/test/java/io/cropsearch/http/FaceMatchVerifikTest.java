package io.cropsearch.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.cropsearch.observability.SearchMetrics;
import io.cropsearch.testing.LambdaEvents;
import io.cropsearch.testing.LogCapture;
import io.cropsearch.testing.Requests;
import io.cropsearch.testing.TestImages;
import io.cropsearch.testing.UpstreamStub;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Verify and compare through the Verifik backend against a WireMock upstream: the reference document's examples pass
 * through unchanged, the upstream gets only validated fields with the caller's token, and each endpoint's own policy
 * retries, gives up and maps errors like the crop search's.
 */
@QuarkusTest
@QuarkusTestResource(UpstreamStub.class)
class FaceMatchVerifikTest {
    static final String VERIFY = "/v2/face-recognition/verify";
    static final String COMPARE = "/v2/face-recognition/compare";
    /** The reference's verify example (verifik-related-api.md), plus a field we do not know, which must be kept. */
    static final String VERIFY_DOC = """
            {"id":"9DVKW","data":{"match":{"id":"65a1b2c3d4e5f60718293a4b","name":"Jane Doe","score":0.9132,"gender":"F",
              "date_of_birth":"1990-01-15","thumbnails":[{"id":"t1","thumbnail":"<base64>"}],"collections":[]}},
             "signature":{"message":"Certified by Verifik.co","dateTime":"January 16, 2024 3:44 PM"},"extra":{"kept":true}}""";
    static final String COMPARE_DOC = """
            {"id":"AB12C","data":{"score":0.91},"signature":{"message":"Certified by Verifik.co","dateTime":"January 16, 2024 3:44 PM"}}""";
    static final String COMPARE_DOC_RESULT = """
            {"id":"AB12D","data":{"result":{"score":0.91,"compare_min_score":0.85,"passed":true},"compare_min_score":0.85},
             "signature":{"message":"Certified by Verifik.co","dateTime":"January 16, 2024 3:44 PM"}}""";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path RESULTS = Path.of("target/test-results/results.jsonl");

    @BeforeEach
    void reset() {
        UpstreamStub.server().resetAll();
    }

    static Map<String, Object> verifyBody() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", "65a1b2c3d4e5f60718293a4b");
        body.put("images", List.of(TestImages.jpegBase64(120, 120)));
        body.put("min_score", 0.8);
        body.put("search_mode", "FAST");
        return body;
    }

    static Map<String, Object> compareBody() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("probe", List.of(TestImages.jpegBase64(120, 120)));
        body.put("gallery", List.of(TestImages.pngBase64(100, 100)));
        body.put("search_mode", "ACCURATE");
        return body;
    }

    static ValidatableResponse send(String path, Object body) {
        return RestAssured.given().header("Authorization", "Bearer " + Requests.TOKEN).contentType(ContentType.JSON)
                .body(body).post(path).then();
    }

    private static void stub(String path, int status, String body) {
        UpstreamStub.server().stubFor(post(urlPathEqualTo(path)).willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json").withBody(body)));
    }

    private static List<LoggedRequest> calls(String path) {
        return UpstreamStub.server().findAll(postRequestedFor(urlPathEqualTo(path)));
    }

    @Test
    void verifyPassesTheDocumentedMatchThroughAndSendsOnlyValidatedFields() throws Exception {
        stub(VERIFY, 200, VERIFY_DOC);
        String collection = "verify-" + UUID.randomUUID();
        Map<String, Object> body = verifyBody();
        String photo = TestImages.jpegBase64(2000, 1500);
        body.put("images", List.of("data:image/jpeg;base64," + photo, TestImages.jpegBase64(120, 120)));
        body.put("collection_id", collection);
        body.put("unknown_field", "dropped");

        String answer = send(VERIFY, body).statusCode(200).extract().asString();
        assertEquals(JSON.readTree(VERIFY_DOC), JSON.readTree(answer), "the upstream's body, unchanged");

        List<LoggedRequest> calls = calls(VERIFY);
        assertEquals(1, calls.size());
        assertEquals("Bearer " + Requests.TOKEN, calls.get(0).getHeader("Authorization"));
        JsonNode sent = JSON.readTree(calls.get(0).getBodyAsString());
        assertEquals(List.of("id", "images", "collection_id", "min_score", "search_mode"), names(sent));
        assertEquals(photo, sent.path("images").path(0).asText(), "a whole photo, data: prefix removed");
        assertEquals(collection, sent.path("collection_id").asText());
        assertEquals(0.8, sent.path("min_score").asDouble());

        JsonNode record = recordOf(collection);
        assertEquals("verify", record.path("endpoint").path("S").asText());
        assertEquals("MATCHED", record.path("status").path("S").asText());
        assertEquals("65a1b2c3d4e5f60718293a4b",
                record.path("topMatch").path("M").path("personId").path("S").asText());
        assertFalse(record.toString().contains("<base64>"), "no thumbnail bytes in a record");
    }

    @Test
    void verifyPassesAnUnknownPersonsUpstream404Through() {
        stub(VERIFY, 404, "{\"message\":\"person_not_found\",\"code\":\"NotFound\"}");
        send(VERIFY, verifyBody()).statusCode(404).body("message", equalTo("person_not_found"))
                .body("code", equalTo("NotFound"));
        assertEquals(1, calls(VERIFY).size(), "a 404 is an answer, not retried");
    }

    @Test
    void compareReturnsBothDocumentedShapesUnchanged() throws Exception {
        stub(COMPARE, 200, COMPARE_DOC);
        String answer = send(COMPARE, compareBody()).statusCode(200).extract().asString();
        assertEquals(JSON.readTree(COMPARE_DOC), JSON.readTree(answer));
        JsonNode sent = JSON.readTree(calls(COMPARE).get(0).getBodyAsString());
        assertEquals(List.of("probe", "gallery", "search_mode"), names(sent));
        assertEquals("ACCURATE", sent.path("search_mode").asText());

        reset();
        stub(COMPARE, 200, COMPARE_DOC_RESULT);
        Map<String, Object> body = compareBody();
        body.remove("search_mode");
        body.put("compare_min_score", 0.85);
        answer = send(COMPARE, body).statusCode(200).extract().asString();
        assertEquals(JSON.readTree(COMPARE_DOC_RESULT), JSON.readTree(answer));
        sent = JSON.readTree(calls(COMPARE).get(0).getBodyAsString());
        assertEquals("FAST", sent.path("search_mode").asText(), "the documented default mode is sent explicitly");
        assertEquals(0.85, sent.path("compare_min_score").asDouble());
    }

    @Test
    void upstream503ThenSuccessIsRetriedByTheEndpointsOwnPolicy() {
        for (String path : List.of(VERIFY, COMPARE)) {
            reset();
            UpstreamStub.server().stubFor(post(urlPathEqualTo(path)).inScenario(path).whenScenarioStateIs(Scenario.STARTED)
                    .willReturn(aResponse().withStatus(503)).willSetStateTo("up"));
            UpstreamStub.server().stubFor(post(urlPathEqualTo(path)).inScenario(path).whenScenarioStateIs("up")
                    .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                            .withBody(path.equals(VERIFY) ? VERIFY_DOC : COMPARE_DOC)));
            send(path, path.equals(VERIFY) ? verifyBody() : compareBody()).statusCode(200);
            assertEquals(2, calls(path).size(), path);
        }
    }

    @Test
    void upstream500IsA502AtOnceAndAConnectionResetA502AfterRetries() {
        for (String path : List.of(VERIFY, COMPARE)) {
            reset();
            stub(path, 500, "{\"message\":\"internal_error\",\"code\":\"ERROR\"}");
            send(path, path.equals(VERIFY) ? verifyBody() : compareBody()).statusCode(502)
                    .body("message", equalTo("upstream_error")).body("code", equalTo("ERROR"));
            assertEquals(1, calls(path).size(), path + ": 500 is not retried");

            reset();
            UpstreamStub.server().stubFor(post(urlPathEqualTo(path))
                    .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
            send(path, path.equals(VERIFY) ? verifyBody() : compareBody()).statusCode(502)
                    .body("code", equalTo("ERROR"));
            assertEquals(4, calls(path).size(), path + ": one attempt and three retries");
        }
    }

    @Test
    void aFailedVerifyLeavesAFailedRecordAndARefusedOneARejectedRecord() throws Exception {
        stub(VERIFY, 500, "{\"message\":\"internal_error\",\"code\":\"ERROR\"}");
        String failed = "verify-failed-" + UUID.randomUUID();
        Map<String, Object> body = verifyBody();
        body.put("collection_id", failed);
        send(VERIFY, body).statusCode(502);
        JsonNode record = recordOf(failed);
        assertEquals("verify", record.path("endpoint").path("S").asText());
        assertEquals("FAILED", record.path("status").path("S").asText());
        assertEquals("upstream_error", record.path("error").path("M").path("message").path("S").asText());
        assertEquals("1", record.path("attempts").path("N").asText());

        String refused = "verify-refused-" + UUID.randomUUID();
        body.put("collection_id", refused);
        body.put("search_mode", "SLOW");
        send(VERIFY, body).statusCode(409);
        assertEquals(1, calls(VERIFY).size(), "the refused one never reached the upstream");
        String line = Files.readAllLines(RESULTS).stream().filter(l -> l.contains("\"verify\"") && l.contains("REJECTED")
                && l.contains("search_mode")).reduce((a, b) -> b).orElseThrow();
        JsonNode rejected = JSON.readTree(line).path("Item");
        assertEquals("InvalidParameter", rejected.path("error").path("M").path("code").path("S").asText());
        assertTrue(rejected.path("params").isMissingNode(), "no validated parameters for a refused input");
    }

    @Test
    void anUpstreamSlowerThanTheBudgetIsA504() {
        UpstreamStub.server().stubFor(post(urlPathEqualTo(COMPARE)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(COMPARE_DOC).withFixedDelay(4_000)));
        Map<String, Object> body = compareBody();
        body.put("search_mode", "FAST"); // 3 s budget in tests
        long started = System.nanoTime();
        send(COMPARE, body).statusCode(504).body("message", equalTo("upstream_timeout"))
                .body("code", equalTo("TIMEOUT"));
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertTrue(millis < 4_000, "cut at the budget, not after the upstream's delay: " + millis + " ms");
    }

    @Test
    void missingAuthIs401WithoutAnUpstreamCall() {
        stub(VERIFY, 200, VERIFY_DOC);
        stub(COMPARE, 200, COMPARE_DOC);
        RestAssured.given().contentType(ContentType.JSON).body(verifyBody()).post(VERIFY).then().statusCode(401)
                .body("message", equalTo("Authentication required")).body("code", equalTo("UNAUTHORIZED"));
        RestAssured.given().contentType(ContentType.JSON).body(compareBody()).post(COMPARE).then().statusCode(401)
                .body("code", equalTo("UNAUTHORIZED"));
        assertEquals(0, calls(VERIFY).size() + calls(COMPARE).size());
    }

    @Test
    void eachAnswerLeavesOneEmfLineWithItsEndpoint() throws Exception {
        stub(VERIFY, 200, VERIFY_DOC);
        stub(COMPARE, 200, COMPARE_DOC_RESULT);
        List<JsonNode> lines = new ArrayList<>();
        try (LogCapture metrics = LogCapture.start(SearchMetrics.CATEGORY)) {
            send(VERIFY, verifyBody()).statusCode(200);
            send(COMPARE, compareBody()).statusCode(200);
            Map<String, Object> bad = verifyBody();
            bad.put("min_score", 0.4);
            send(VERIFY, bad).statusCode(409);
            for (String line : metrics.lines()) {
                lines.add(JSON.readTree(line.substring(line.indexOf('{'))));
            }
        }
        assertEquals(3, lines.size(), lines.toString());
        List<String> seen = new ArrayList<>();
        for (JsonNode line : lines) {
            assertEquals("[[\"Source\",\"Status\"],[\"Endpoint\",\"Source\",\"Status\"]]",
                    line.path("_aws").path("CloudWatchMetrics").get(0).path("Dimensions").toString());
            assertFalse(line.toString().contains(Requests.TOKEN));
            seen.add(line.path("Endpoint").asText() + " " + line.path("Status").asText() + " "
                    + line.path("MatchCount").asInt());
        }
        assertEquals(List.of("verify MATCHED 1", "compare MATCHED 1", "verify REJECTED 0"), seen);
    }

    @Test
    void rawApiGatewayV2EventsReachBothRoutes() throws Exception {
        stub(VERIFY, 200, VERIFY_DOC);
        stub(COMPARE, 200, COMPARE_DOC);
        for (String path : List.of(VERIFY, COMPARE)) {
            String body = JSON.writeValueAsString(path.equals(VERIFY) ? verifyBody() : compareBody());
            var event = LambdaEvents.apiGatewaySearch(body, false, "Bearer " + Requests.TOKEN, "req-" + UUID.randomUUID());
            event.put("routeKey", "POST " + path).put("rawPath", path);
            ((com.fasterxml.jackson.databind.node.ObjectNode) event.path("requestContext")).put("routeKey", "POST " + path);
            ((com.fasterxml.jackson.databind.node.ObjectNode) event.path("requestContext").path("http")).put("path", path);
            var response = LambdaEvents.assertDelivered(JSON.writeValueAsString(event));
            JsonNode answer = JSON.readTree(response.jsonPath().getString("body"));
            assertEquals(path.equals(VERIFY) ? "9DVKW" : "AB12C", answer.path("id").asText(), path);
        }
        assertEquals(1, calls(VERIFY).size());
        assertEquals(1, calls(COMPARE).size());
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** The JSON-lines record whose parameters name {@code collection} (written before the response). */
    private static JsonNode recordOf(String collection) throws Exception {
        for (String line : Files.readAllLines(RESULTS)) {
            JsonNode item = JSON.readTree(line).path("Item");
            if (collection.equals(item.path("params").path("M").path("collection_id").path("S").asText())) {
                return item;
            }
        }
        throw new AssertionError("no record for " + collection + " in " + RESULTS);
    }
}
