package io.cropsearch.testing;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

/** Stub answers of the Verifik-compatible crops search, for the WireMock of {@link UpstreamStub}. */
public final class Upstream {
    public static final String PATH = UpstreamStub.SEARCH_PATH;

    private Upstream() {
    }

    public static MappingBuilder search() {
        return post(urlEqualTo(PATH));
    }

    /** A 200 with one candidate (with a thumbnail whose bytes must never reach a record). */
    public static void matches(WireMockServer wireMock, String personId, double score) {
        wireMock.stubFor(search().willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withBody("""
                        {"id":"SC01","data":[{"id":"%s","name":"John Doe","score":%s,
                          "thumbnails":[{"id":"thumb-1","thumbnail":"iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="}]}],
                         "signature":{"message":"Certified by Verifik.co","dateTime":"January 16, 2024 3:44 PM"}}
                        """.formatted(personId, score))));
    }

    /** The upstream's standard search ({@code /v2/face-recognition/search}, whole photos). */
    public static final String PHOTO_PATH = "/v2/face-recognition/search";

    /** As {@link #matches}, at the standard search. */
    public static void photoMatches(WireMockServer wireMock, String personId, double score) {
        wireMock.stubFor(post(urlEqualTo(PHOTO_PATH)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("""
                        {"id":"SP01","data":[{"id":"%s","name":"John Doe","score":%s,
                          "thumbnails":[{"id":"thumb-1","thumbnail":"iVBORw0KGgo="}]}],
                         "signature":{"message":"Certified by Verifik.co","dateTime":"January 16, 2024 3:44 PM"}}
                        """.formatted(personId, score))));
    }

    public static void noMatch(WireMockServer wireMock) {
        wireMock.stubFor(search().willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withBody("{\"id\":\"SC02\",\"data\":[],\"signature\":{\"message\":\"Certified by Verifik.co\","
                        + "\"dateTime\":\"January 16, 2024 3:44 PM\"}}")));
    }

    public static void status(WireMockServer wireMock, int status) {
        wireMock.stubFor(search().willReturn(aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                .withBody("{\"message\":\"internal_error\",\"code\":\"ERROR\"}")));
    }
}
