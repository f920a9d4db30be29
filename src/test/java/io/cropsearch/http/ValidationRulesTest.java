package io.cropsearch.http;

import io.cropsearch.testing.LyingImages;
import io.cropsearch.testing.Requests;
import io.cropsearch.testing.TestImages;
import io.cropsearch.testing.UpstreamStub;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every validation rule, one bad input at a time: exact status, code and message, and no upstream call. */
@QuarkusTest
@QuarkusTestResource(UpstreamStub.class)
class ValidationRulesTest {

    @BeforeEach
    void stubUpstream() {
        UpstreamStub.server().resetAll();
        UpstreamStub.server().stubFor(post(urlPathEqualTo(UpstreamStub.SEARCH_PATH))
                .willReturn(aResponse().withStatus(200).withBody(ContractExamplesTest.DOC_RESPONSE)));
    }

    static Stream<Arguments> badInputs() {
        String valid = TestImages.jpegBase64(120, 120);
        String local = "\"images[0]\" URL must not point to a loopback, private or link-local address";
        return Stream.of(
                bad("images missing", b -> b.remove("images"), "MissingParameter", "\"images\" is required"),
                bad("images not an array", b -> b.put("images", valid), "InvalidParameter", "\"images\" must be an array"),
                bad("images empty", b -> b.put("images", List.of()), "InvalidParameter",
                        "\"images\" must contain at least 1 items"),
                bad("too many images", b -> b.put("images", List.of(valid, valid, valid, valid)), "InvalidParameter",
                        "\"images\" must contain less than or equal to 3 items"),
                bad("image not a string", b -> b.put("images", List.of(123)), "InvalidParameter",
                        "\"images[0]\" must be a string"),
                bad("image null", b -> b.put("images", Arrays.asList((Object) null)), "InvalidParameter",
                        "\"images[0]\" must be a string"),
                bad("image not base64", b -> b.put("images", List.of("not base64!")), "InvalidParameter",
                        "\"images[0]\" is not a valid base64 image or https URL"),
                bad("image empty string", b -> b.put("images", List.of("")), "InvalidParameter",
                        "\"images[0]\" is not a valid base64 image or https URL"),
                bad("base64 text, not an image", b -> b.put("images", List.of(b64("hello, this is text"))),
                        "InvalidParameter", "\"images[0]\" must be a JPEG, PNG or WebP image"),
                bad("SVG disguised as image", b -> b.put("images",
                        List.of(b64("<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>"))),
                        "InvalidParameter", "\"images[0]\" must be a JPEG, PNG or WebP image"),
                bad("SVG data URI", b -> b.put("images", List.of("data:image/svg+xml;base64," + b64("<svg/>"))),
                        "InvalidParameter", "\"images[0]\" data URI must be a base64 JPEG, PNG or WebP image"),
                bad("truncated JPEG", b -> b.put("images", List.of(Base64.getEncoder().encodeToString(
                        Arrays.copyOf(TestImages.jpeg(120, 120), 40)))), "InvalidParameter",
                        "\"images[0]\" is not a readable JPEG image"),
                bad("JPEG signature then junk", b -> b.put("images", List.of(Base64.getEncoder().encodeToString(
                        new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 1, 2, 3, 4, 5}))), "InvalidParameter",
                        "\"images[0]\" is not a readable JPEG image"),
                bad("image too small", b -> b.put("images", List.of(TestImages.pngBase64(8, 8))), "InvalidParameter",
                        "\"images[0]\" is 8x8 px; face crops must be at least 16 px a side"),
                bad("image too large in pixels", b -> b.put("images", List.of(TestImages.pngBase64(1500, 40))),
                        "InvalidParameter", "\"images[0]\" is 1500x40 px; face crops must be at most 1024 px a side "
                                + "(use /v2/face-recognition/search for full images)"),
                bad("image too many bytes", b -> b.put("images", List.of(Base64.getEncoder().encodeToString(
                        pngSignaturePadded(1_100_000)))), "InvalidParameter", "\"images[0]\" must be at most 1048576 bytes"),
                bad("JPEG: a 16x16 frame header in front of a 6000x6000 frame", b -> b.put("images",
                        List.of(Base64.getEncoder().encodeToString(LyingImages.bigFrameBehindSmallHeader()))),
                        "InvalidParameter", "\"images[0]\" has conflicting image headers"),
                bad("PNG with a second IHDR", b -> b.put("images", List.of(Base64.getEncoder().encodeToString(
                        LyingImages.withSecondIhdr(TestImages.png(64, 64), 6000, 6000)))), "InvalidParameter",
                        "\"images[0]\" has conflicting image headers"),
                bad("WebP whose canvas is not its frame", b -> b.put("images", List.of(Base64.getEncoder()
                        .encodeToString(LyingImages.extendedWebp(64, 64, 6000, 6000)))), "InvalidParameter",
                        "\"images[0]\" has conflicting image headers"),
                bad("third image bad", b -> b.put("images", List.of(valid, valid, "%%%")), "InvalidParameter",
                        "\"images[2]\" is not a valid base64 image or https URL"),
                bad("http URL", b -> b.put("images", List.of("http://example.com/a.jpg")), "InvalidParameter",
                        "\"images[0]\" URL must use https"),
                bad("file URL", b -> b.put("images", List.of("file:///etc/passwd")), "InvalidParameter",
                        "\"images[0]\" URL must use https"),
                bad("URL with user info", b -> b.put("images", List.of("https://user:pw@example.com/a.jpg")),
                        "InvalidParameter", "\"images[0]\" URL must not contain user information"),
                bad("loopback URL", b -> b.put("images", List.of("https://127.0.0.1/a.jpg")), "InvalidParameter",
                        "\"images[0]\" URL must not point to a loopback, private or link-local address"),
                bad("private URL", b -> b.put("images", List.of("https://10.1.2.3/a.jpg")), "InvalidParameter",
                        "\"images[0]\" URL must not point to a loopback, private or link-local address"),
                bad("metadata service URL", b -> b.put("images", List.of("https://169.254.169.254/latest")),
                        "InvalidParameter", "\"images[0]\" URL must not point to a loopback, private or link-local address"),
                bad("IPv6 loopback URL", b -> b.put("images", List.of("https://[::1]/a.jpg")), "InvalidParameter",
                        "\"images[0]\" URL must not point to a loopback, private or link-local address"),
                bad("localhost URL", b -> b.put("images", List.of("https://localhost:8443/a.jpg")), "InvalidParameter",
                        "\"images[0]\" URL must not point to a loopback, private or link-local address"),
                bad("decimal IP URL", b -> b.put("images", List.of("https://2130706433/a.jpg")), "InvalidParameter",
                        "\"images[0]\" URL must not point to a loopback, private or link-local address"),
                bad("NAT64 of the metadata address", b -> b.put("images", List.of("https://[64:ff9b::a9fe:a9fe]/latest")),
                        "InvalidParameter", local),
                bad("6to4 of the metadata address", b -> b.put("images", List.of("https://[2002:a9fe:a9fe::1]/")),
                        "InvalidParameter", local),
                bad("single-label host", b -> b.put("images", List.of("https://instance-data/latest/meta-data/")),
                        "InvalidParameter", local),
                bad("metadata host name", b -> b.put("images", List.of("https://metadata.google.internal/v1/")),
                        "InvalidParameter", local),
                bad("URL too long", b -> b.put("images", List.of("https://example.com/" + "a".repeat(2100))),
                        "InvalidParameter", "\"images[0]\" URL must be at most 2048 characters"),
                bad("collection_id not a string", b -> b.put("collection_id", 5), "InvalidParameter",
                        "\"collection_id\" must be a string"),
                bad("collection_id empty", b -> b.put("collection_id", ""), "InvalidParameter",
                        "\"collection_id\" is not allowed to be empty"),
                bad("collection_id odd characters", b -> b.put("collection_id", "a b/../c"), "InvalidParameter",
                        "\"collection_id\" must only contain letters, digits and the characters _ . : -"),
                bad("collection_id too long", b -> b.put("collection_id", "c".repeat(129)), "InvalidParameter",
                        "\"collection_id\" length must be less than or equal to 128 characters long"),
                bad("max_results a string", b -> b.put("max_results", "10"), "InvalidParameter",
                        "\"max_results\" must be a number"),
                bad("max_results zero", b -> b.put("max_results", 0), "InvalidParameter",
                        "\"max_results\" must be greater than or equal to 1"),
                bad("max_results negative", b -> b.put("max_results", -5), "InvalidParameter",
                        "\"max_results\" must be greater than or equal to 1"),
                bad("max_results above bound", b -> b.put("max_results", 101), "InvalidParameter",
                        "\"max_results\" must be less than or equal to 100"),
                bad("max_results huge", b -> b.put("max_results", new java.math.BigInteger("100000000000000000000000")),
                        "InvalidParameter", "\"max_results\" must be less than or equal to 100"),
                bad("max_results fractional", b -> b.put("max_results", 1.5), "InvalidParameter",
                        "\"max_results\" must be an integer"),
                bad("min_score missing", b -> b.remove("min_score"), "MissingParameter", "\"min_score\" is required"),
                bad("min_score a string", b -> b.put("min_score", "0.7"), "InvalidParameter",
                        "\"min_score\" must be a number"),
                bad("min_score null", b -> b.put("min_score", null), "InvalidParameter", "\"min_score\" must be a number"),
                bad("min_score below range", b -> b.put("min_score", 0.49), "InvalidParameter",
                        "\"min_score\" must be greater than or equal to 0.5"),
                bad("min_score of the full search (0.2)", b -> b.put("min_score", 0.2), "InvalidParameter",
                        "\"min_score\" must be greater than or equal to 0.5"),
                bad("min_score above range", b -> b.put("min_score", 1.01), "InvalidParameter",
                        "\"min_score\" must be less than or equal to 1"),
                bad("search_mode missing", b -> b.remove("search_mode"), "MissingParameter",
                        "\"search_mode\" is required"),
                bad("search_mode lower case", b -> b.put("search_mode", "fast"), "InvalidParameter",
                        "\"search_mode\" must be one of [FAST, ACCURATE]"),
                bad("search_mode not a string", b -> b.put("search_mode", 1), "InvalidParameter",
                        "\"search_mode\" must be a string"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void rejectsBadInputWithoutCallingUpstream(String name, Consumer<Map<String, Object>> mutation, String code,
                                               String message) {
        Map<String, Object> body = Requests.validBody();
        mutation.accept(body);
        Requests.post(body).statusCode(409).body("code", equalTo(code)).body("message", equalTo(message));
        assertEquals(0, UpstreamStub.searchCalls());
    }

    @Test
    void reportsTheFirstBadFieldInContractOrder() {
        Map<String, Object> body = Requests.validBody();
        body.remove("images");
        body.put("min_score", 7);
        body.put("search_mode", "SLOW");
        Requests.post(body).statusCode(409).body("message", equalTo("\"images\" is required"));
        assertEquals(0, UpstreamStub.searchCalls());
    }

    @Test
    void malformedJsonIs400() {
        Requests.postRaw("{\"images\": [").statusCode(400)
                .body("code", equalTo("MalformedBody")).body("message", equalTo("Request body is not valid JSON"));
        assertEquals(0, UpstreamStub.searchCalls());
    }

    @Test
    void duplicateKeysAre400() {
        Requests.postRaw("{\"min_score\":0.7,\"min_score\":0.1}").statusCode(400).body("code", equalTo("MalformedBody"));
    }

    @Test
    void aJsonArrayBodyIs409() {
        Requests.postRaw("[1,2,3]").statusCode(409)
                .body("code", equalTo("InvalidParameter")).body("message", equalTo("\"value\" must be of type object"));
    }

    @Test
    void emptyBodyIs400() {
        Requests.postRaw("").statusCode(400).body("code", equalTo("MalformedBody"));
    }

    @Test
    void wrongContentTypeIs415() {
        RestAssured.given().header("Authorization", "Bearer " + Requests.TOKEN).contentType("text/plain")
                .body("hello").post(Requests.PATH)
                .then().statusCode(415).body("code", equalTo("UnsupportedMediaType"))
                .body("message", equalTo("Content-Type must be application/json"));
        assertEquals(0, UpstreamStub.searchCalls());
    }

    @Test
    void oversizedBodyIs413() {
        String huge = "{\"images\":[\"" + "A".repeat(5_300_000) + "\"],\"min_score\":0.7,\"search_mode\":\"FAST\"}";
        Requests.postRaw(huge).statusCode(413).body("code", equalTo("PayloadTooLarge"))
                .body("message", equalTo("Request body must be at most 5242880 bytes"));
        assertEquals(0, UpstreamStub.searchCalls());
    }

    @Test
    void wrongMethodAndUnknownPathKeepTheErrorShape() {
        RestAssured.given().get(Requests.PATH).then().statusCode(405).body("code", equalTo("MethodNotAllowed"));
        RestAssured.given().contentType("application/json").body("{}").post("/v2/unknown")
                .then().statusCode(404).body("code", equalTo("NotFound"));
    }

    static Stream<Arguments> acceptedEdges() {
        return Stream.of(
                ok("min_score 0.5", b -> b.put("min_score", 0.5)),
                ok("min_score 1", b -> b.put("min_score", 1)),
                ok("max_results 100", b -> b.put("max_results", 100)),
                ok("max_results 10.0", b -> b.put("max_results", 10.0)),
                ok("no optional fields", b -> {
                    b.remove("collection_id");
                    b.remove("max_results");
                }),
                ok("ACCURATE", b -> b.put("search_mode", "ACCURATE")),
                ok("16 px PNG", b -> b.put("images", List.of(TestImages.pngBase64(16, 16)))),
                ok("1024 px PNG", b -> b.put("images", List.of(TestImages.pngBase64(1024, 1024)))),
                ok("WebP", b -> b.put("images", List.of(Base64.getEncoder().encodeToString(TestImages.webpLossless(120, 110))))),
                ok("data URI", b -> b.put("images", List.of("data:image/png;base64," + TestImages.pngBase64(64, 64)))),
                ok("https URL", b -> b.put("images", List.of("https://images.example.com/crops/a.jpg"))),
                ok("three images", b -> b.put("images", new ArrayList<>(List.of(TestImages.jpegBase64(100, 100),
                        TestImages.pngBase64(90, 90), "https://cdn.example.org/x.png")))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("acceptedEdges")
    void acceptsValidEdges(String name, Consumer<Map<String, Object>> mutation) {
        Map<String, Object> body = Requests.validBody();
        mutation.accept(body);
        Requests.post(body).statusCode(200);
        assertEquals(1, UpstreamStub.searchCalls());
    }

    private static Arguments bad(String name, Consumer<Map<String, Object>> mutation, String code, String message) {
        return Arguments.of(name, mutation, code, message);
    }

    private static Arguments ok(String name, Consumer<Map<String, Object>> mutation) {
        return Arguments.of(name, mutation);
    }

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] pngSignaturePadded(int size) {
        byte[] bytes = new byte[size];
        byte[] signature = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
        System.arraycopy(signature, 0, bytes, 0, signature.length);
        return bytes;
    }
}
