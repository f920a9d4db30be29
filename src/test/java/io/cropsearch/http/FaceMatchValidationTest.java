package io.cropsearch.http;

import io.cropsearch.testing.Requests;
import io.cropsearch.testing.TestImages;
import io.cropsearch.testing.UpstreamStub;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
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
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every input rule of verify and compare, one bad input at a time (exact status, code and message, no upstream call),
 * and a corpus of hostile bodies for both (no 5xx, no upstream call, the contract's error shape).
 */
@QuarkusTest
@QuarkusTestResource(UpstreamStub.class)
class FaceMatchValidationTest {

    @BeforeEach
    void stubUpstream() {
        UpstreamStub.server().resetAll();
        UpstreamStub.server().stubFor(post(anyUrl()).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(FaceMatchVerifikTest.COMPARE_DOC)));
    }

    static Stream<Arguments> badVerifyInputs() {
        String valid = TestImages.jpegBase64(120, 120);
        return Stream.of(
                bad("id missing", b -> b.remove("id"), "MissingParameter", "\"id\" is required"),
                bad("id a number", b -> b.put("id", 42), "InvalidParameter", "\"id\" must be a string"),
                bad("id empty", b -> b.put("id", ""), "InvalidParameter", "\"id\" is not allowed to be empty"),
                bad("id too long", b -> b.put("id", "a".repeat(129)), "InvalidParameter",
                        "\"id\" length must be less than or equal to 128 characters long"),
                bad("id with a slash", b -> b.put("id", "../persons"), "InvalidParameter",
                        "\"id\" must only contain letters, digits and the characters _ . : -"),
                bad("images missing", b -> b.remove("images"), "MissingParameter", "\"images\" is required"),
                bad("images not an array", b -> b.put("images", valid), "InvalidParameter", "\"images\" must be an array"),
                bad("images empty", b -> b.put("images", List.of()), "InvalidParameter",
                        "\"images\" must contain at least 1 items"),
                bad("four images", b -> b.put("images", List.of(valid, valid, valid, valid)), "InvalidParameter",
                        "\"images\" must contain less than or equal to 3 items"),
                bad("image null", b -> b.put("images", Arrays.asList((Object) null)), "InvalidParameter",
                        "\"images[0]\" must be a string"),
                bad("image not base64", b -> b.put("images", List.of(valid, "not base64!")), "InvalidParameter",
                        "\"images[1]\" is not a valid base64 image or https URL"),
                bad("image a URL", b -> b.put("images", List.of("https://example.com/face.jpg")), "InvalidParameter",
                        "\"images[0]\" must be a base64 image"),
                bad("image shorter than 100 characters", b -> b.put("images", List.of(b64("hello"))),
                        "InvalidParameter", "\"images[0]\" must be a JPEG, PNG or WebP image"),
                bad("image too small", b -> b.put("images", List.of(TestImages.pngBase64(8, 8))), "InvalidParameter",
                        "\"images[0]\" is 8x8 px; images must be at least 16 px a side"),
                bad("photo too large in pixels", b -> b.put("images", List.of(TestImages.pngBase64(5000, 20))),
                        "InvalidParameter", "\"images[0]\" is 5000x20 px; images must be at most 4096 px a side"),
                bad("photo too many bytes", b -> b.put("images", List.of(Base64.getEncoder().encodeToString(
                        pngSignaturePadded(3_700_000)))), "InvalidParameter", "\"images[0]\" must be at most 3670016 bytes"),
                bad("collection_id a number", b -> b.put("collection_id", 7), "InvalidParameter",
                        "\"collection_id\" must be a string"),
                bad("collection_id empty", b -> b.put("collection_id", ""), "InvalidParameter",
                        "\"collection_id\" is not allowed to be empty"),
                bad("collection_id with spaces", b -> b.put("collection_id", "a b"), "InvalidParameter",
                        "\"collection_id\" must only contain letters, digits and the characters _ . : -"),
                bad("min_score missing", b -> b.remove("min_score"), "MissingParameter", "\"min_score\" is required"),
                bad("min_score a string", b -> b.put("min_score", "0.8"), "InvalidParameter",
                        "\"min_score\" must be a number"),
                bad("min_score below 0.5", b -> b.put("min_score", 0.49), "InvalidParameter",
                        "\"min_score\" must be greater than or equal to 0.5"),
                bad("min_score above 1", b -> b.put("min_score", 1.01), "InvalidParameter",
                        "\"min_score\" must be less than or equal to 1"),
                bad("search_mode missing", b -> b.remove("search_mode"), "MissingParameter",
                        "\"search_mode\" is required"),
                bad("search_mode lower case", b -> b.put("search_mode", "fast"), "InvalidParameter",
                        "\"search_mode\" must be one of [FAST, ACCURATE]"),
                bad("search_mode a number", b -> b.put("search_mode", 1), "InvalidParameter",
                        "\"search_mode\" must be a string"),
                bad("a bad scalar is reported before a bad image's contents",
                        b -> { b.put("images", List.of("not base64!")); b.put("min_score", 2); },
                        "InvalidParameter", "\"min_score\" must be less than or equal to 1"));
    }

    static Stream<Arguments> badCompareInputs() {
        String valid = TestImages.jpegBase64(120, 120);
        return Stream.of(
                bad("probe missing", b -> b.remove("probe"), "MissingParameter", "\"probe\" is required"),
                bad("probe not an array", b -> b.put("probe", valid), "InvalidParameter", "\"probe\" must be an array"),
                bad("probe empty", b -> b.put("probe", List.of()), "InvalidParameter",
                        "\"probe\" must contain at least 1 items"),
                bad("four probe images", b -> b.put("probe", List.of(valid, valid, valid, valid)), "InvalidParameter",
                        "\"probe\" must contain less than or equal to 3 items"),
                bad("probe image a number", b -> b.put("probe", List.of(1)), "InvalidParameter",
                        "\"probe[0]\" must be a string"),
                bad("probe image shorter than 100 characters", b -> b.put("probe", List.of("aGVsbG8=")),
                        "InvalidParameter", "\"probe[0]\" must be a JPEG, PNG or WebP image"),
                bad("probe image a URL", b -> b.put("probe", List.of("https://example.com/a.jpg")), "InvalidParameter",
                        "\"probe[0]\" must be a base64 image"),
                bad("gallery missing", b -> b.remove("gallery"), "MissingParameter", "\"gallery\" is required"),
                bad("gallery not an array", b -> b.put("gallery", Map.of()), "InvalidParameter",
                        "\"gallery\" must be an array"),
                bad("gallery empty", b -> b.put("gallery", List.of()), "InvalidParameter",
                        "\"gallery\" must contain at least 1 items"),
                bad("four gallery images", b -> b.put("gallery", List.of(valid, valid, valid, valid)),
                        "InvalidParameter", "\"gallery\" must contain less than or equal to 3 items"),
                bad("gallery image an SVG", b -> b.put("gallery", List.of(valid, b64("<svg xmlns=\"http://www.w3.org/2000/svg\"/>"))),
                        "InvalidParameter", "\"gallery[1]\" must be a JPEG, PNG or WebP image"),
                bad("gallery image an SVG data URI", b -> b.put("gallery", List.of("data:image/svg+xml;base64," + b64("<svg/>"))),
                        "InvalidParameter", "\"gallery[0]\" data URI must be a base64 JPEG, PNG or WebP image"),
                bad("search_mode unknown", b -> b.put("search_mode", "SLOW"), "InvalidParameter",
                        "\"search_mode\" must be one of [FAST, ACCURATE]"),
                bad("search_mode null", b -> b.put("search_mode", null), "InvalidParameter",
                        "\"search_mode\" must be a string"),
                bad("compare_min_score a string", b -> b.put("compare_min_score", "high"), "InvalidParameter",
                        "\"compare_min_score\" must be a number"),
                bad("compare_min_score below 0.67", b -> b.put("compare_min_score", 0.66), "InvalidParameter",
                        "\"compare_min_score\" must be greater than or equal to 0.67"),
                bad("compare_min_score above 0.95", b -> b.put("compare_min_score", 0.96), "InvalidParameter",
                        "\"compare_min_score\" must be less than or equal to 0.95"),
                bad("compare_min_score huge", b -> b.put("compare_min_score", new java.math.BigDecimal("1e400")),
                        "InvalidParameter", "\"compare_min_score\" must be less than or equal to 0.95"));
    }

    @ParameterizedTest(name = "verify: {0}")
    @MethodSource("badVerifyInputs")
    void verifyRefusesEachBadInputWithoutCallingTheUpstream(String name, Consumer<Map<String, Object>> change,
                                                            String code, String message) {
        Map<String, Object> body = new java.util.LinkedHashMap<>(FaceMatchVerifikTest.verifyBody());
        change.accept(body);
        FaceMatchVerifikTest.send(FaceMatchVerifikTest.VERIFY, body).statusCode(409).body("code", equalTo(code))
                .body("message", equalTo(message));
        assertEquals(0, upstreamCalls());
    }

    @ParameterizedTest(name = "compare: {0}")
    @MethodSource("badCompareInputs")
    void compareRefusesEachBadInputWithoutCallingTheUpstream(String name, Consumer<Map<String, Object>> change,
                                                             String code, String message) {
        Map<String, Object> body = new java.util.LinkedHashMap<>(FaceMatchVerifikTest.compareBody());
        change.accept(body);
        FaceMatchVerifikTest.send(FaceMatchVerifikTest.COMPARE, body).statusCode(409).body("code", equalTo(code))
                .body("message", equalTo(message));
        assertEquals(0, upstreamCalls());
    }

    @Test
    void theBoundsThemselvesAreAccepted() {
        for (double score : new double[] {0.5, 1}) {
            Map<String, Object> body = new java.util.LinkedHashMap<>(FaceMatchVerifikTest.verifyBody());
            body.put("min_score", score);
            UpstreamStub.server().resetAll();
            UpstreamStub.server().stubFor(post(anyUrl()).willReturn(aResponse().withStatus(200)
                    .withHeader("Content-Type", "application/json").withBody(FaceMatchVerifikTest.VERIFY_DOC)));
            FaceMatchVerifikTest.send(FaceMatchVerifikTest.VERIFY, body).statusCode(200);
        }
        for (double score : new double[] {0.67, 0.95}) {
            Map<String, Object> body = new java.util.LinkedHashMap<>(FaceMatchVerifikTest.compareBody());
            body.put("compare_min_score", score);
            FaceMatchVerifikTest.send(FaceMatchVerifikTest.COMPARE, body).statusCode(200);
        }
    }

    static List<String> hostileBodies() {
        String img = TestImages.jpegBase64(64, 64);
        List<String> bodies = new ArrayList<>(List.of(
                "null", "true", "0", "\"string\"", "[]", "[{}]", "{}", "{", "}", "{\"probe\":}",
                "{\"probe\":null,\"gallery\":null}",
                "{\"probe\":[null],\"gallery\":[\"" + img + "\"]}",
                "{\"probe\":[[\"" + img + "\"]],\"gallery\":[\"" + img + "\"]}",
                "{\"probe\":[{\"url\":\"https://example.com/a.jpg\"}],\"gallery\":[\"" + img + "\"]}",
                "{\"probe\":[\"" + img + "\"],\"gallery\":[\"" + img + "\"],\"compare_min_score\":NaN}",
                "{\"probe\":[\"" + img + "\"],\"gallery\":[\"" + img + "\"],\"compare_min_score\":-1e400}",
                "{\"probe\":[\"" + img + "\"],\"gallery\":[\"" + img + "\"],\"compare_min_score\":1e4002222222222222}",
                "{\"probe\":[\"" + img + "\"],\"probe\":[\"" + img + "\"],\"gallery\":[\"" + img + "\"]}",
                "{\"probe\":[\"" + img + "\"],\"gallery\":[\"" + img + "\"]} trailing",
                "{\"id\":{\"$ne\":null},\"images\":[\"" + img + "\"],\"min_score\":0.8,\"search_mode\":\"FAST\"}",
                "{\"id\":\"a\",\"images\":[\"" + img + "\"],\"min_score\":true,\"search_mode\":\"FAST\"}",
                "{\"id\":\"a\",\"images\":[\"" + img + "\"],\"min_score\":0.8,\"search_mode\":[\"FAST\"]}",
                "{\"id\":\"a\",\"images\":\"" + img + "\",\"min_score\":0.8,\"search_mode\":\"FAST\"}",
                "{\"id\":\"a\u0000b\",\"images\":[\"" + img + "\"],\"min_score\":0.8,\"search_mode\":\"FAST\"}",
                "{\"id\":\"a\",\"images\":[\"data:image/png;base64,\"],\"min_score\":0.8,\"search_mode\":\"FAST\"}",
                "{\"id\":\"a\",\"images\":[\"====\"],\"min_score\":0.8,\"search_mode\":\"FAST\"}",
                "{\"id\":\"a\",\"images\":[\"" + "A".repeat(4_000_000) + "\"],\"min_score\":0.8,\"search_mode\":\"FAST\"}",
                "[".repeat(100) + "]".repeat(100),
                "{\"a\":" + "[".repeat(5000) + "]".repeat(5000) + "}"));
        return bodies;
    }

    @ParameterizedTest(name = "hostile body #{index}")
    @MethodSource("hostileBodies")
    void hostileBodiesGetAContractErrorAndNeverReachTheUpstream(String body) {
        for (String path : List.of(FaceMatchVerifikTest.VERIFY, FaceMatchVerifikTest.COMPARE)) {
            Response response = RestAssured.given().header("Authorization", "Bearer " + Requests.TOKEN)
                    .contentType(ContentType.JSON).body(body.getBytes(StandardCharsets.UTF_8)).post(path).thenReturn();
            assertTrue(response.statusCode() >= 400 && response.statusCode() < 500,
                    path + " answered " + response.statusCode() + ": " + response.asString());
            assertNotNull(response.jsonPath().getString("message"), response.asString());
            assertNotNull(response.jsonPath().getString("code"), response.asString());
        }
        assertEquals(0, upstreamCalls());
    }

    private static int upstreamCalls() {
        return UpstreamStub.server().findAll(anyRequestedFor(anyUrl())).size();
    }

    private static Arguments bad(String name, Consumer<Map<String, Object>> change, String code, String message) {
        return Arguments.of(name, change, code, message);
    }

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** A PNG signature followed by zeros: the byte limit must refuse it before anything reads it as a PNG. */
    private static byte[] pngSignaturePadded(int size) {
        byte[] bytes = new byte[size];
        byte[] signature = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
        System.arraycopy(signature, 0, bytes, 0, signature.length);
        return bytes;
    }
}
