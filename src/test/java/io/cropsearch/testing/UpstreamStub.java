package io.cropsearch.testing;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/**
 * A real HTTP stub (WireMock) standing in for the Verifik API, on a free loopback port. One server per JVM, shared by
 * every test class that uses it; each test resets its stubs and request journal.
 */
public class UpstreamStub implements QuarkusTestResourceLifecycleManager {
    public static final String SEARCH_PATH = "/v2/face-recognition/search/crops";
    /** The reference document's success example, plus a field we do not know, which must be kept. */
    public static final String DOC_RESPONSE = """
            {"id":"SC01","data":[{"id":"person_id","name":"John Doe","score":0.91,
              "thumbnails":[{"id":"thumb_id","thumbnail":"<base64>"}]}],
             "signature":{"message":"Certified by Verifik.co","dateTime":"January 16, 2024 3:44 PM"},
             "extra":{"kept":true}}""";
    private static WireMockServer server;

    public static synchronized WireMockServer server() {
        if (server == null) {
            server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort().containerThreads(16));
            server.start();
        }
        return server;
    }

    @Override
    public Map<String, String> start() {
        return Map.of("quarkus.rest-client.verifik.url", "http://127.0.0.1:" + server().port());
    }

    @Override
    public void stop() {
        // Shared across test classes in this JVM; the JVM's exit stops it.
    }

    /** Upstream search calls received since the last reset. */
    public static int searchCalls() {
        return server().findAll(com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(
                com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo(SEARCH_PATH))).size();
    }
}
