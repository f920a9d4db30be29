package io.cropsearch.photos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code POST /v2/face-recognition/search} with the Verifik backend (WireMock as the upstream): the documented example
 * is forwarded to the upstream's {@code /search} (not {@code /search/crops}) and answered as received; every rule of
 * its own, one bad input at a time, is refused with no upstream call; hostile bodies never get a 5xx; a raw API
 * Gateway v2 event reaches it through Quarkus REST.
 */
@QuarkusTest
@QuarkusTestResource(UpstreamStub.class)
class StandardSearchTest {
    static final String PATH = "/v2/face-recognition/search";
    static final String UPSTREAM_ANSWER = """
            {"id":"SRCH1","data":[{"id":"person_id","name":"John Doe","score":0.93,
              "thumbnails":[{"id":"thumb_id","thumbnail":"iVBORw0KGgo="}]}],
             "signature":{"message":"Certified by Verifik.co","dateTime":"January 16, 2024 3:44 PM"}}""";
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeEach
    void stubUpstream() {
        UpstreamStub.server().resetAll();
        UpstreamStub.server().stubFor(post(urlPathEqualTo(PATH))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody(UPSTREAM_ANSWER)));
    }

    static Map<String, Object> validBody() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("images", List.of(Photos.base64("happy.jpg")));
        body.put("collection_id", "col-123");
        body.put("min_score", 0.8);
        body.put("search_mode", "FAST");
        body.put("max_results", 5);
        return body;
    }

    static ValidatableResponse send(Object body) {
        return RestAssured.given().header("Authorization", "Bearer " + Requests.TOKEN).contentType(ContentType.JSON)
                .body(body).post(PATH).then();
    }

    @Test
    void theDocumentedExampleIsForwardedToTheUpstreamStandardSearch() throws Exception {
        send(validBody()).statusCode(200)
                .body("id", equalTo("SRCH1"))
                .body("data[0].id", equalTo("person_id"))
                .body("data[0].score", equalTo(0.93f));
        List<LoggedRequest> calls = UpstreamStub.server().findAll(postRequestedFor(urlPathEqualTo(PATH)));
        assertEquals(1, calls.size());
        assertEquals(0, UpstreamStub.searchCalls(), "not the crops endpoint");
        JsonNode sent = JSON.readTree(calls.get(0).getBodyAsString());
        assertEquals(Photos.base64("happy.jpg"), sent.path("images").path(0).asText(), "the photo as sent");
        assertEquals(0.8, sent.path("min_score").asDouble());
        assertEquals("FAST", sent.path("search_mode").asText());
        assertEquals("col-123", sent.path("collection_id").asText());
        assertEquals(5, sent.path("max_results").asInt());
        assertEquals("Bearer " + Requests.TOKEN, calls.get(0).getHeader("Authorization"));
    }

    static Stream<Arguments> badInputs() {
        String photo = Photos.base64("happy.jpg");
        return Stream.of(
                bad("images missing", b -> b.remove("images"), "MissingParameter", "\"images\" is required"),
                bad("images empty", b -> b.put("images", List.of()), "InvalidParameter",
                        "\"images\" must contain at least 1 items"),
                bad("four images", b -> b.put("images", List.of(photo, photo, photo, photo)), "InvalidParameter",
                        "\"images\" must contain less than or equal to 3 items"),
                bad("image not base64", b -> b.put("images", List.of("not base64!")), "InvalidParameter",
                        "\"images[0]\" is not a valid base64 image or https URL"),
                bad("photo too large in pixels", b -> b.put("images", List.of(TestImages.pngBase64(4097, 20))),
                        "InvalidParameter", "\"images[0]\" is 4097x20 px; images must be at most 4096 px a side"),
                bad("photo too small", b -> b.put("images", List.of(TestImages.pngBase64(15, 300))),
                        "InvalidParameter", "\"images[0]\" is 15x300 px; images must be at least 16 px a side"),
                bad("http URL", b -> b.put("images", List.of("http://example.com/a.jpg")), "InvalidParameter",
                        "\"images[0]\" URL must use https"),
                bad("collection_id empty", b -> b.put("collection_id", ""), "InvalidParameter",
                        "\"collection_id\" is not allowed to be empty"),
                bad("max_results 0", b -> b.put("max_results", 0), "InvalidParameter",
                        "\"max_results\" must be greater than or equal to 1"),
                bad("min_score missing", b -> b.remove("min_score"), "MissingParameter", "\"min_score\" is required"),
                bad("min_score 0.19", b -> b.put("min_score", 0.19), "InvalidParameter",
                        "\"min_score\" must be greater than or equal to 0.2"),
                bad("min_score 1.01", b -> b.put("min_score", 1.01), "InvalidParameter",
                        "\"min_score\" must be less than or equal to 1"),
                bad("min_score a string", b -> b.put("min_score", "0.8"), "InvalidParameter",
                        "\"min_score\" must be a number"),
                bad("search_mode missing", b -> b.remove("search_mode"), "MissingParameter",
                        "\"search_mode\" is required"),
                bad("search_mode unknown", b -> b.put("search_mode", "SLOW"), "InvalidParameter",
                        "\"search_mode\" must be one of [FAST, ACCURATE]"),
                // Field order as in the crops endpoint: images is reported before min_score.
                bad("images and min_score both bad", b -> {
                    b.remove("images");
                    b.put("min_score", 0.1);
                }, "MissingParameter", "\"images\" is required"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void eachRuleRefusesOneBadInputWithoutCallingTheUpstream(String name, Consumer<Map<String, Object>> mutation,
                                                            String code, String message) {
        Map<String, Object> body = validBody();
        mutation.accept(body);
        send(body).statusCode(409).body("code", equalTo(code)).body("message", equalTo(message));
        assertEquals(0, UpstreamStub.server().findAll(anyRequestedFor(anyUrl())).size(), "no upstream call");
    }

    static Stream<Arguments> acceptedEdges() {
        return Stream.of(
                ok("min_score 0.2 (below the crops' 0.5)", b -> b.put("min_score", 0.2)),
                ok("min_score 1", b -> b.put("min_score", 1)),
                ok("a photo larger than a crop (1500 px)", b -> b.put("images", List.of(TestImages.pngBase64(1500, 40)))),
                ok("4096 px", b -> b.put("images", List.of(TestImages.pngBase64(4096, 16)))),
                ok("data URI", b -> b.put("images", List.of("data:image/jpeg;base64," + Photos.base64("happy.jpg")))),
                ok("https URL", b -> b.put("images", List.of("https://images.example.com/photos/a.jpg"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("acceptedEdges")
    void acceptsTheStandardSearchsOwnEdges(String name, Consumer<Map<String, Object>> mutation) {
        Map<String, Object> body = validBody();
        mutation.accept(body);
        send(body).statusCode(200);
        assertEquals(1, UpstreamStub.server().findAll(postRequestedFor(urlPathEqualTo(PATH))).size());
    }

    @Test
    void theCropsEndpointStillRefusesWhatTheStandardSearchAccepts() {
        Map<String, Object> body = Requests.validBody();
        body.put("min_score", 0.2);
        Requests.post(body).statusCode(409).body("message", equalTo("\"min_score\" must be greater than or equal to 0.5"));
        Map<String, Object> large = Requests.validBody();
        large.put("images", List.of(TestImages.pngBase64(1500, 40)));
        Requests.post(large).statusCode(409).body("message", equalTo("\"images[0]\" is 1500x40 px; face crops must be "
                + "at most 1024 px a side (use /v2/face-recognition/search for full images)"));
        assertEquals(0, UpstreamStub.server().findAll(anyRequestedFor(anyUrl())).size());
    }

    static Stream<String> hostileBodies() {
        List<String> bodies = new ArrayList<>(List.of("", "null", "[]", "\"text\"", "{", "{}", "{\"images\":{}}",
                "{\"images\":[null],\"min_score\":0.5,\"search_mode\":\"FAST\"}",
                "{\"images\":[\"" + Photos.base64("happy.jpg") + "\"],\"min_score\":1e999999,\"search_mode\":\"FAST\"}",
                "{\"images\":[\"" + Photos.base64("happy.jpg") + "\"],\"min_score\":0.5,\"min_score\":0.6,\"search_mode\":\"FAST\"}",
                "[".repeat(5000) + "]".repeat(5000),
                "{\"images\":[\"" + Base64.getEncoder().encodeToString(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF,
                        (byte) 0xC0, 0, 17, 8, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 3})
                        + "\"],\"min_score\":0.5,\"search_mode\":\"FAST\"}"));
        return bodies.stream();
    }

    @ParameterizedTest
    @MethodSource("hostileBodies")
    void hostileBodiesNeverGetA5xx(String body) {
        int status = RestAssured.given().header("Authorization", "Bearer " + Requests.TOKEN)
                .contentType(ContentType.JSON).body(body).post(PATH).then().extract().statusCode();
        assertTrue(status >= 400 && status < 500, "status " + status);
        assertEquals(0, UpstreamStub.server().findAll(anyRequestedFor(anyUrl())).size());
    }

    @Test
    void withoutABearerTokenItIs401AndNothingIsCalled() {
        RestAssured.given().contentType(ContentType.JSON).body(validBody()).post(PATH).then().statusCode(401)
                .body("code", equalTo("UNAUTHORIZED"));
        assertEquals(0, UpstreamStub.server().findAll(anyRequestedFor(anyUrl())).size());
    }

    @Test
    void aRawApiGatewayV2EventReachesTheStandardSearch() throws Exception {
        String event = JSON.writeValueAsString(LambdaEvents.apiGatewaySearch(JSON.writeValueAsString(validBody()), false,
                "Bearer " + Requests.TOKEN, "req-photo-1"));
        event = event.replace(LambdaEvents.SEARCH_PATH, PATH);
        JsonNode response = JSON.readTree(LambdaEvents.assertDelivered(event).asString());
        assertEquals(200, response.path("statusCode").asInt());
        JsonNode body = JSON.readTree(response.path("body").asText());
        assertEquals("person_id", body.path("data").path(0).path("id").asText());
        assertEquals(1, UpstreamStub.server().findAll(postRequestedFor(urlPathEqualTo(PATH))).size());

        String bad = JSON.writeValueAsString(LambdaEvents.apiGatewaySearch("{\"images\":[\"" + Photos.base64("happy.jpg")
                + "\"],\"min_score\":0.1,\"search_mode\":\"FAST\"}", false, "Bearer " + Requests.TOKEN, "req-photo-2"))
                .replace(LambdaEvents.SEARCH_PATH, PATH);
        JsonNode refused = JSON.readTree(LambdaEvents.deliver(bad).asString());
        assertEquals(409, refused.path("statusCode").asInt());
        assertEquals("\"min_score\" must be greater than or equal to 0.2",
                JSON.readTree(refused.path("body").asText()).path("message").asText());
    }

    @Test
    void theMetricAndTheRecordNameTheStandardSearch() throws Exception {
        List<String> lines;
        try (LogCapture metrics = LogCapture.start(SearchMetrics.CATEGORY)) {
            send(validBody()).statusCode(200);
            lines = metrics.lines();
        }
        assertEquals(1, lines.size(), lines.toString());
        JsonNode line = JSON.readTree(lines.get(0).substring(lines.get(0).indexOf('{')));
        assertEquals("search", line.path("Endpoint").asText());
        assertEquals("MATCHED", line.path("Status").asText());
        assertEquals(1, line.path("MatchCount").asInt());
    }

    private static Arguments bad(String name, Consumer<Map<String, Object>> mutation, String code, String message) {
        return Arguments.of(name, mutation, code, message);
    }

    private static Arguments ok(String name, Consumer<Map<String, Object>> mutation) {
        return Arguments.of(name, mutation);
    }
}
