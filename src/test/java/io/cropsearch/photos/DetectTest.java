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
import org.junit.jupiter.params.provider.ValueSource;

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
 * {@code POST /v2/face-recognition/detect} with the Verifik backend (WireMock as the upstream): the documented example
 * is forwarded to the upstream's {@code /detect} with both flags and answered as received; each rule refuses one bad
 * input with no upstream call; hostile bodies get no 5xx; upstream failures are mapped as for searches.
 */
@QuarkusTest
@QuarkusTestResource(UpstreamStub.class)
class DetectTest {
    static final String PATH = "/v2/face-recognition/detect";
    /** The reference document's example answer. */
    static final String UPSTREAM_ANSWER = """
            {"id":"pgui5","data":[{"box":{"top":169,"left":698,"right":1214,"bottom":845},"persons":[],
              "landmarks":{"nose":[961,550],"left_eye":[836,422],"right_eye":[1080,425],"left_mouth":[865,679],
                           "right_mouth":[1049,683]},
              "thumbnail":"iVBORw0KGgo=","detection_score":0.8}],
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
        body.put("image", Photos.base64("bbt3.jpg"));
        body.put("return_landmarks", true);
        return body;
    }

    static ValidatableResponse send(Object body) {
        return RestAssured.given().header("Authorization", "Bearer " + Requests.TOKEN).contentType(ContentType.JSON)
                .body(body).post(PATH).then();
    }

    @Test
    void theDocumentedExampleIsForwardedToTheUpstreamDetect() throws Exception {
        send(validBody()).statusCode(200)
                .body("id", equalTo("pgui5"))
                .body("data[0].box.left", equalTo(698))
                .body("data[0].landmarks.left_eye[0]", equalTo(836))
                .body("data[0].detection_score", equalTo(0.8f));
        List<LoggedRequest> calls = UpstreamStub.server().findAll(postRequestedFor(urlPathEqualTo(PATH)));
        assertEquals(1, calls.size());
        JsonNode sent = JSON.readTree(calls.get(0).getBodyAsString());
        assertEquals(Photos.base64("bbt3.jpg"), sent.path("image").asText());
        assertTrue(sent.path("return_landmarks").asBoolean());
        assertTrue(sent.path("return_attributes").isBoolean() && !sent.path("return_attributes").asBoolean(),
                "absent flags are sent as false");
        assertEquals("Bearer " + Requests.TOKEN, calls.get(0).getHeader("Authorization"));
    }

    @Test
    void aDataUriAndAnHttpsUrlAreForwardedAsRawBase64AndTheUrl() throws Exception {
        send(Map.of("image", "data:image/jpeg;base64," + Photos.base64("happy.jpg"), "return_attributes", true))
                .statusCode(200);
        send(Map.of("image", "https://images.example.com/party.jpg")).statusCode(200);
        List<LoggedRequest> calls = UpstreamStub.server().findAll(postRequestedFor(urlPathEqualTo(PATH)));
        assertEquals(2, calls.size());
        JsonNode first = JSON.readTree(calls.get(0).getBodyAsString());
        assertEquals(Photos.base64("happy.jpg"), first.path("image").asText(), "the data: prefix is removed");
        assertTrue(first.path("return_attributes").asBoolean());
        assertEquals("https://images.example.com/party.jpg",
                JSON.readTree(calls.get(1).getBodyAsString()).path("image").asText());
    }

    static Stream<Arguments> badInputs() {
        return Stream.of(
                bad("image missing", b -> b.remove("image"), "MissingParameter", "\"image\" is required"),
                bad("image a number", b -> b.put("image", 12), "InvalidParameter", "\"image\" must be a string"),
                bad("image an array", b -> b.put("image", List.of(Photos.base64("happy.jpg"))), "InvalidParameter",
                        "\"image\" must be a string"),
                bad("image empty", b -> b.put("image", ""), "InvalidParameter", "\"image\" is not allowed to be empty"),
                bad("image not base64", b -> b.put("image", "%%%"), "InvalidParameter",
                        "\"image\" is not a valid base64 image or https URL"),
                bad("image text", b -> b.put("image", "aGVsbG8sIHRoaXMgaXMgdGV4dA=="), "InvalidParameter",
                        "\"image\" must be a JPEG, PNG or WebP image"),
                bad("image too large", b -> b.put("image", TestImages.pngBase64(20, 4097)), "InvalidParameter",
                        "\"image\" is 20x4097 px; images must be at most 4096 px a side"),
                bad("image http URL", b -> b.put("image", "http://example.com/a.jpg"), "InvalidParameter",
                        "\"image\" URL must use https"),
                bad("image private URL", b -> b.put("image", "https://10.0.0.1/a.jpg"), "InvalidParameter",
                        "\"image\" URL must not point to a loopback, private or link-local address"),
                bad("return_landmarks a string", b -> b.put("return_landmarks", "true"), "InvalidParameter",
                        "\"return_landmarks\" must be a boolean"),
                bad("return_attributes a number", b -> b.put("return_attributes", 1), "InvalidParameter",
                        "\"return_attributes\" must be a boolean"),
                bad("image reported before the flags", b -> {
                    b.remove("image");
                    b.put("return_landmarks", "yes");
                }, "MissingParameter", "\"image\" is required"));
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

    @ParameterizedTest
    @ValueSource(strings = {"", "null", "[]", "{", "{\"image\":null}", "{\"image\":{}}", "{\"image\":\"x\",\"image\":\"y\"}",
            "{\"image\":\"/9j/4AAQSkZJRgABAQ==\",\"return_landmarks\":1e99999999}"})
    void hostileBodiesNeverGetA5xx(String body) {
        int status = RestAssured.given().header("Authorization", "Bearer " + Requests.TOKEN)
                .contentType(ContentType.JSON).body(body).post(PATH).then().extract().statusCode();
        assertTrue(status >= 400 && status < 500, "status " + status);
        assertEquals(0, UpstreamStub.server().findAll(anyRequestedFor(anyUrl())).size());
    }

    @Test
    void upstreamRefusalsAndFailuresAreMappedAsForSearches() {
        UpstreamStub.server().stubFor(post(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(409)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"message\":\"no_face_found\",\"code\":\"MissingParameter\"}")));
        send(validBody()).statusCode(409).body("message", equalTo("no_face_found"));
        UpstreamStub.server().stubFor(post(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(500)
                .withBody("{\"message\":\"internal_error\",\"code\":\"ERROR\"}")));
        send(validBody()).statusCode(502).body("code", equalTo("ERROR"));
    }

    @Test
    void withoutABearerTokenItIs401AndNothingIsCalled() {
        RestAssured.given().contentType(ContentType.JSON).body(validBody()).post(PATH).then().statusCode(401);
        assertEquals(0, UpstreamStub.server().findAll(anyRequestedFor(anyUrl())).size());
    }

    @Test
    void aRawApiGatewayV2EventReachesDetect() throws Exception {
        String event = JSON.writeValueAsString(LambdaEvents.apiGatewaySearch(JSON.writeValueAsString(validBody()), false,
                "Bearer " + Requests.TOKEN, "req-detect-1")).replace(LambdaEvents.SEARCH_PATH, PATH);
        JsonNode response = JSON.readTree(LambdaEvents.assertDelivered(event).asString());
        JsonNode body = JSON.readTree(response.path("body").asText());
        assertEquals(1214, body.path("data").path(0).path("box").path("right").asInt());
        assertEquals(1, UpstreamStub.server().findAll(postRequestedFor(urlPathEqualTo(PATH))).size());
    }

    @Test
    void eachDetectionLeavesOneMetricLineWithTheDetectEndpoint() throws Exception {
        List<String> lines;
        try (LogCapture metrics = LogCapture.start(SearchMetrics.CATEGORY)) {
            send(validBody()).statusCode(200);
            send(Map.of("image", "%%%")).statusCode(409);
            lines = metrics.lines();
        }
        assertEquals(2, lines.size(), lines.toString());
        JsonNode found = JSON.readTree(lines.get(0).substring(lines.get(0).indexOf('{')));
        assertEquals("detect", found.path("Endpoint").asText());
        assertEquals("MATCHED", found.path("Status").asText());
        assertEquals(1, found.path("MatchCount").asInt(), "the upstream's one face");
        assertEquals(1, found.path("UpstreamAttempts").asInt());
        assertEquals("[[\"Source\",\"Status\"],[\"Endpoint\",\"Source\",\"Status\"]]",
                found.path("_aws").path("CloudWatchMetrics").get(0).path("Dimensions").toString());
        JsonNode refused = JSON.readTree(lines.get(1).substring(lines.get(1).indexOf('{')));
        assertEquals("detect", refused.path("Endpoint").asText());
        assertEquals("REJECTED", refused.path("Status").asText());
    }

    private static Arguments bad(String name, Consumer<Map<String, Object>> mutation, String code, String message) {
        return Arguments.of(name, mutation, code, message);
    }
}
