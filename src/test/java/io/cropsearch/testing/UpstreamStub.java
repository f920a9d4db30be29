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
