package io.cropsearch.http;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.cropsearch.testing.Requests;
import io.cropsearch.testing.UpstreamStub;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each upstream fault with its exact outcome and number of upstream calls. Test budgets: FAST 3 s, ACCURATE 6 s,
 * 3 retries from 20 ms backoff (see the %test keys of application.properties).
 */
@QuarkusTest
@QuarkusTestResource(UpstreamStub.class)
class UpstreamFaultsTest {

    @BeforeEach
    void reset() {
        UpstreamStub.server().resetAll();
    }

    @Test
    void delayPastTheBudgetIs504AfterOneCall() {
        stub(aResponse().withStatus(200).withBody(ContractExamplesTest.DOC_RESPONSE).withFixedDelay(8000));
        long started = System.nanoTime();
        Requests.post(Requests.validBody()).statusCode(504)
                .body("code", equalTo("TIMEOUT")).body("message", equalTo("upstream_timeout"));
        long tookMs = (System.nanoTime() - started) / 1_000_000;
        assertEquals(1, UpstreamStub.searchCalls());
        assertTrue(tookMs < 4500, "answered after " + tookMs + " ms; FAST budget is 3 s");
    }

    @Test
    void connectionResetIsRetriedThen502() {
        stub(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));
        Requests.post(Requests.validBody()).statusCode(502)
                .body("code", equalTo("ERROR")).body("message", equalTo("upstream_error"));
        assertEquals(4, UpstreamStub.searchCalls(), "first attempt plus 3 retries");
    }

    @Test
    void status500IsNotRetried() {
        stub(aResponse().withStatus(500).withBody("{\"message\":\"internal_error\",\"code\":\"ERROR\"}"));
        Requests.post(Requests.validBody()).statusCode(502).body("message", equalTo("upstream_error"));
        assertEquals(1, UpstreamStub.searchCalls());
    }

    @Test
    void status503ThenSuccessIsRetried() {
        UpstreamStub.server().stubFor(post(urlPathEqualTo(UpstreamStub.SEARCH_PATH)).inScenario("flaky")
                .whenScenarioStateIs(Scenario.STARTED).willReturn(aResponse().withStatus(503))
                .willSetStateTo("recovered"));
        UpstreamStub.server().stubFor(post(urlPathEqualTo(UpstreamStub.SEARCH_PATH)).inScenario("flaky")
                .whenScenarioStateIs("recovered")
                .willReturn(aResponse().withStatus(200).withBody(ContractExamplesTest.DOC_RESPONSE)));
        Requests.post(Requests.validBody()).statusCode(200).body("id", equalTo("SC01"));
        assertEquals(2, UpstreamStub.searchCalls());
    }

    @Test
    void persistent503Is502AfterRetries() {
        stub(aResponse().withStatus(503));
        Requests.post(Requests.validBody()).statusCode(502).body("message", equalTo("upstream_error"));
        assertEquals(4, UpstreamStub.searchCalls());
    }

    @Test
    void status429WaitsForRetryAfterThenSucceeds() {
        UpstreamStub.server().stubFor(post(urlPathEqualTo(UpstreamStub.SEARCH_PATH)).inScenario("throttled")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1"))
                .willSetStateTo("ok"));
        UpstreamStub.server().stubFor(post(urlPathEqualTo(UpstreamStub.SEARCH_PATH)).inScenario("throttled")
                .whenScenarioStateIs("ok")
                .willReturn(aResponse().withStatus(200).withBody(ContractExamplesTest.DOC_RESPONSE)));
        Map<String, Object> body = Requests.validBody();
        body.put("search_mode", "ACCURATE");
        long started = System.nanoTime();
        Requests.post(body).statusCode(200);
        long tookMs = (System.nanoTime() - started) / 1_000_000;
        assertEquals(2, UpstreamStub.searchCalls());
        assertTrue(tookMs >= 1000, "retried after " + tookMs + " ms, before Retry-After");
    }

    @Test
    void status429WithRetryAfterBeyondTheBudgetIsPassedOn() {
        stub(aResponse().withStatus(429).withHeader("Retry-After", "120"));
        Requests.post(Requests.validBody()).statusCode(429)
                .header("Retry-After", "120")
                .body("code", equalTo("TooManyRequests")).body("message", equalTo("upstream_rate_limited"));
        assertEquals(1, UpstreamStub.searchCalls());
    }

    @Test
    void hugeRetryAfterIsPassedOnCappedNotRetriedAtOnce() {
        // 2^63 - 1 seconds: multiplied into milliseconds it used to wrap to a negative wait, that is "retry now".
        stub(aResponse().withStatus(429).withHeader("Retry-After", "9223372036854775807"));
        Requests.post(Requests.validBody()).statusCode(429)
                .header("Retry-After", "86400")
                .body("code", equalTo("TooManyRequests")).body("message", equalTo("upstream_rate_limited"));
        assertEquals(1, UpstreamStub.searchCalls());
    }

    @Test
    void malformedUpstreamJsonIs502() {
        stub(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("{\"id\":\"SC01\",\"data\":[{"));
        Requests.post(Requests.validBody()).statusCode(502).body("message", equalTo("upstream_error"));
        assertEquals(1, UpstreamStub.searchCalls());
    }

    @Test
    void upstreamHtmlErrorPageIs502() {
        stub(aResponse().withStatus(200).withHeader("Content-Type", "text/html").withBody("<html>gateway</html>"));
        Requests.post(Requests.validBody()).statusCode(502).body("code", equalTo("ERROR"));
        assertEquals(1, UpstreamStub.searchCalls());
    }

    @Test
    void otherUpstream4xxIsNotRetried() {
        stub(aResponse().withStatus(404).withBody("{\"message\":\"not found\"}"));
        Requests.post(Requests.validBody()).statusCode(502).body("message", equalTo("upstream_error"));
        assertEquals(1, UpstreamStub.searchCalls());
    }

    private static void stub(com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder response) {
        UpstreamStub.server().stubFor(post(urlPathEqualTo(UpstreamStub.SEARCH_PATH)).willReturn(response));
    }
}
