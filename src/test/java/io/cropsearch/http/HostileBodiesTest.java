package io.cropsearch.http;

import io.cropsearch.testing.Requests;
import io.cropsearch.testing.TestImages;
import io.cropsearch.testing.UpstreamStub;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A corpus of malformed and hostile bodies. None may produce a 5xx or reach the upstream, and each answer has the
 * contract's error shape.
 */
@QuarkusTest
@QuarkusTestResource(UpstreamStub.class)
class HostileBodiesTest {
    private static final String TAIL = ",\"min_score\":0.7,\"search_mode\":\"FAST\"}";

    @BeforeAll
    static void stub() {
        UpstreamStub.server().resetAll();
        UpstreamStub.server().stubFor(post(urlPathEqualTo(UpstreamStub.SEARCH_PATH))
                .willReturn(aResponse().withStatus(200).withBody(ContractExamplesTest.DOC_RESPONSE)));
    }

    static List<String> corpus() {
        String img = TestImages.jpegBase64(64, 64);
        List<String> bodies = new ArrayList<>(List.of(
                "null", "true", "0", "\"string\"", "[]", "[{}]", "{}", "{", "}", "{\"images\":}", "{'images':[]}",
                "{\"images\":null" + TAIL,
                "{\"images\":{}" + TAIL,
                "{\"images\":[null]" + TAIL,
                "{\"images\":[[\"" + img + "\"]]" + TAIL,
                "{\"images\":[{\"url\":\"https://example.com/a.jpg\"}]" + TAIL,
                "{\"images\":[true]" + TAIL,
                "{\"images\":[1e999]" + TAIL,
                "{\"images\":[\"" + img + "\"],\"min_score\":\"NaN\",\"search_mode\":\"FAST\"}",
                "{\"images\":[\"" + img + "\"],\"min_score\":NaN,\"search_mode\":\"FAST\"}",
                "{\"images\":[\"" + img + "\"],\"min_score\":Infinity,\"search_mode\":\"FAST\"}",
                "{\"images\":[\"" + img + "\"],\"min_score\":1e400,\"search_mode\":\"FAST\"}",
                "{\"images\":[\"" + img + "\"],\"min_score\":-1e400,\"search_mode\":\"FAST\"}",
                "{\"images\":[\"" + img + "\"],\"min_score\":0.7e-99999999,\"search_mode\":\"FAST\"}",
                "{\"images\":[\"" + img + "\"],\"min_score\":0." + "7".repeat(5000) + ",\"search_mode\":\"FAST\"}",
                "{\"images\":[\"" + img + "\"],\"min_score\":[0.7],\"search_mode\":\"FAST\"}",
                "{\"images\":[\"" + img + "\"],\"min_score\":{\"$gt\":0},\"search_mode\":\"FAST\"}",
                "{\"images\":[\"" + img + "\"],\"min_score\":0.7,\"search_mode\":[\"FAST\"]}",
                "{\"images\":[\"" + img + "\"],\"min_score\":0.7,\"search_mode\":\"FAST\\u0000\"}",
                "{\"images\":[\"" + img + "\"],\"min_score\":0.7,\"search_mode\":\"FAST\",\"max_results\":9" + "9".repeat(400) + "}",
                "{\"images\":[\"" + img + "\"],\"min_score\":0.7,\"search_mode\":\"FAST\",\"max_results\":-0.5}",
                "{\"images\":[\"" + img + "\"],\"min_score\":0.7,\"search_mode\":\"FAST\",\"collection_id\":{\"$ne\":null}}",
                "{\"images\":[\"" + img + "\"],\"min_score\":0.7,\"search_mode\":\"FAST\",\"collection_id\":\"' OR 1=1 --\"}",
                "{\"images\":[\"" + img + "\"],\"min_score\":0.7,\"search_mode\":\"FAST\",\"collection_id\":\"../../etc\"}",
                "{\"images\":[\"" + img + "\"],\"min_score\":0.7,\"search_mode\":\"FAST\"} trailing",
                "{\"images\":[\"" + img + "\"],\"min_score\":0.7,\"search_mode\":\"FAST\"}{}",
                "{\"images\":[\"" + img + "\"],\"min_score\":0.7,\"min_score\":0.9,\"search_mode\":\"FAST\"}",
                "{\"images\":[\"" + img + "\"],\"min_score\":0.7,\"search_mode\":\"FAST\",}",
                "{\"__proto__\":{\"admin\":true},\"min_score\":0.7,\"search_mode\":\"FAST\"}",
                "{\"images\":[\"http://example.com/a.jpg\"]" + TAIL,
                "{\"images\":[\"file:///etc/passwd\"]" + TAIL,
                "{\"images\":[\"ftp://example.com/a.jpg\"]" + TAIL,
                "{\"images\":[\"gopher://example.com/\"]" + TAIL,
                "{\"images\":[\"javascript:alert(1)\"]" + TAIL,
                "{\"images\":[\"https://127.0.0.1/x.jpg\"]" + TAIL,
                "{\"images\":[\"https://127.1/x.jpg\"]" + TAIL,
                "{\"images\":[\"https://0x7f000001/x.jpg\"]" + TAIL,
                "{\"images\":[\"https://0.0.0.0/x.jpg\"]" + TAIL,
                "{\"images\":[\"https://[::ffff:127.0.0.1]/x.jpg\"]" + TAIL,
                "{\"images\":[\"https://[fe80::1]/x.jpg\"]" + TAIL,
                "{\"images\":[\"https://[fd00::1]/x.jpg\"]" + TAIL,
                "{\"images\":[\"https://192.168.1.1/x.jpg\"]" + TAIL,
                "{\"images\":[\"https://172.16.0.1/x.jpg\"]" + TAIL,
                "{\"images\":[\"https://100.64.0.1/x.jpg\"]" + TAIL,
                "{\"images\":[\"https://user:pw@host.example.com/\"]" + TAIL,
                "{\"images\":[\"https://user@host.example.com/\"]" + TAIL,
                "{\"images\":[\"https:///nohost\"]" + TAIL,
                "{\"images\":[\"https://exa mple.com/a.jpg\"]" + TAIL,
                "{\"images\":[\"https://sub.localhost/x.jpg\"]" + TAIL,
                "{\"images\":[\"data:text/html;base64," + b64("<html><script>alert(1)</script></html>") + "\"]" + TAIL,
                "{\"images\":[\"data:image/png;base64,!!!!\"]" + TAIL,
                "{\"images\":[\"" + b64("<html><body>not an image</body></html>") + "\"]" + TAIL,
                "{\"images\":[\"" + b64("<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\"/>") + "\"]" + TAIL,
                "{\"images\":[\"" + b64("GIF89a\u0001\u0000\u0001\u0000") + "\"]" + TAIL,
                "{\"images\":[\"" + b64("%PDF-1.4 fake") + "\"]" + TAIL,
                "{\"images\":[\"" + b64("RIFF\u0000\u0000\u0000\u0000WEBPVP8 ") + "\"]" + TAIL,
                "{\"images\":[\"" + b64("\u0089PNG\r\n\u001a\n") + "\"]" + TAIL,
                "{\"images\":[\"" + Base64.getEncoder().encodeToString(new byte[4096]) + "\"]" + TAIL,
                "{\"images\":[\"" + img.substring(0, img.length() - 3) + "\"]" + TAIL,
                "{\"images\":[\"" + Base64.getUrlEncoder().encodeToString(TestImages.jpeg(64, 64)).replace('+', '-') + "-_\"]" + TAIL,
                "{\"images\":[\"\\u0000\\u0001\"]" + TAIL,
                "{\"images\":[\"" + "\uD83D\uDE00".repeat(100) + "\"]" + TAIL));
        bodies.add("[".repeat(5000) + "]".repeat(5000));
        bodies.add("{\"a\":".repeat(3000) + "1" + "}".repeat(3000));
        bodies.add("{\"images\":" + "[".repeat(100) + "]".repeat(100) + TAIL);
        bodies.add("{\"images\":[\"" + "A".repeat(7 * 1024 * 1024) + "\"]" + TAIL);
        bodies.add("{\"images\":[\"" + "A".repeat(2_000_000) + "\"]" + TAIL);
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            many.add("\"x\"");
        }
        bodies.add("{\"images\":[" + String.join(",", many) + "]" + TAIL);
        return bodies;
    }

    @ParameterizedTest
    @MethodSource("corpus")
    void neverAnswersWith5xxNorCallsUpstream(String body) {
        int before = UpstreamStub.searchCalls();
        ExtractableResponse<Response> response = Requests.postRaw(body).extract();
        int status = response.statusCode();
        assertTrue(status >= 400 && status < 500, "status " + status + " for " + abbreviate(body));
        assertNotNull(response.jsonPath().getString("message"), "message for " + abbreviate(body));
        assertNotNull(response.jsonPath().getString("code"), "code for " + abbreviate(body));
        assertEquals(before, UpstreamStub.searchCalls(), "upstream called for " + abbreviate(body));
    }

    @Test
    void corpusIsLargeEnough() {
        assertTrue(corpus().size() >= 50, "corpus has " + corpus().size() + " bodies");
    }

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static String abbreviate(String body) {
        return body.length() > 120 ? body.substring(0, 120) + "...(" + body.length() + " chars)" : body;
    }
}
