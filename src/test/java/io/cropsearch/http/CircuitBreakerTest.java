package io.cropsearch.http;

import io.cropsearch.testing.Requests;
import io.cropsearch.testing.UpstreamStub;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The circuit opens on a failing upstream, answers 503 with Retry-After without calling it, then closes again. */
@QuarkusTest
@QuarkusTestResource(UpstreamStub.class)
@TestProfile(CircuitBreakerTest.SmallCircuit.class)
class CircuitBreakerTest {

    public static class SmallCircuit implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "crop-search.upstream.retry.max-retries", "0",
                    "crop-search.upstream.circuit-breaker.request-volume-threshold", "4",
                    "crop-search.upstream.circuit-breaker.failure-ratio", "0.5",
                    "crop-search.upstream.circuit-breaker.delay", "1s",
                    "crop-search.upstream.circuit-breaker.success-threshold", "1");
        }
    }

    @Test
    void opensOnFailuresAndClosesAfterTheDelay() throws InterruptedException {
        UpstreamStub.server().resetAll();
        UpstreamStub.server().stubFor(post(urlPathEqualTo(UpstreamStub.SEARCH_PATH))
                .willReturn(aResponse().withStatus(503)));
        for (int i = 0; i < 4; i++) {
            Requests.post(Requests.validBody()).statusCode(502);
        }
        assertEquals(4, UpstreamStub.searchCalls());

        Requests.post(Requests.validBody()).statusCode(503)
                .header("Retry-After", "1")
                .body("code", equalTo("UNAVAILABLE")).body("message", equalTo("upstream_unavailable"));
        assertEquals(4, UpstreamStub.searchCalls(), "an open circuit does not call the upstream");

        Thread.sleep(1200);
        UpstreamStub.server().resetAll();
        UpstreamStub.server().stubFor(post(urlPathEqualTo(UpstreamStub.SEARCH_PATH))
                .willReturn(aResponse().withStatus(200).withBody(ContractExamplesTest.DOC_RESPONSE)));
        Requests.post(Requests.validBody()).statusCode(200);
        Requests.post(Requests.validBody()).statusCode(200);
        assertEquals(2, UpstreamStub.searchCalls(), "the circuit closed again");
    }
}
