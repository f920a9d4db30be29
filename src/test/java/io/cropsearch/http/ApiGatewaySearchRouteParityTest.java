package io.cropsearch.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import io.cropsearch.entrypoints.ApiGatewaySearchRoute;
import io.cropsearch.testing.LambdaEvents;
import io.cropsearch.testing.Requests;
import io.cropsearch.testing.UpstreamStub;
import io.quarkus.amazon.lambda.http.LambdaHttpHandler;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ApiGatewaySearchRoute} answers the plain search event without Quarkus' HTTP layer; it must answer exactly as
 * that layer (Quarkus' {@code LambdaHttpHandler} -> RESTEasy -> {@code CropSearchResource}) would: same status, same
 * headers, same body, for successes and for every kind of failure. Each event goes both ways in this JVM. If a Quarkus
 * upgrade changes what its HTTP layer writes (a header's name or value, say), this test fails.
 */
@QuarkusTest
@QuarkusTestResource(UpstreamStub.class)
class ApiGatewaySearchRouteParityTest {
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    @Inject
    ApiGatewaySearchRoute route;

    @BeforeEach
    void reset() {
        UpstreamStub.server().resetAll();
    }

    @Test
    void aMatchIsAnsweredAlike() throws Exception {
        upstream(aResponse().withStatus(200).withBody(ContractExamplesTest.DOC_RESPONSE));
        APIGatewayV2HTTPResponse direct = bothWaysAlike(event(Requests.validBody(), "Bearer " + Requests.TOKEN));
        assertEquals(200, direct.getStatusCode());
        assertEquals("SC01", JSON.readTree(direct.getBody()).get("id").asText());
        assertEquals(2, UpstreamStub.searchCalls(), "one upstream call each way");
    }

    @Test
    void aBase64BodyAndACallersCorrelationIdAreHandledAlike() throws Exception {
        upstream(aResponse().withStatus(200).withBody(ContractExamplesTest.DOC_RESPONSE));
        ObjectNode event = event(Requests.validBody(), "Bearer " + Requests.TOKEN);
        event.put("body", Base64.getEncoder().encodeToString(event.get("body").asText().getBytes()));
        event.put("isBase64Encoded", true);
        ((ObjectNode) event.get("headers")).put("x-correlation-id", "caller-corr-7");
        APIGatewayV2HTTPResponse direct = bothWaysAlike(event);
        assertEquals(200, direct.getStatusCode());
        assertEquals("caller-corr-7", direct.getHeaders().get("X-Correlation-Id"));
    }

    @Test
    void missingAuthorizationIsAnsweredAlike() throws Exception {
        assertEquals(401, bothWaysAlike(event(Requests.validBody(), null)).getStatusCode());
        assertEquals(0, UpstreamStub.searchCalls());
    }

    @Test
    void anInvalidFieldIsAnsweredAlike() throws Exception {
        Map<String, Object> body = Requests.validBody();
        body.put("min_score", 0.3);
        APIGatewayV2HTTPResponse direct = bothWaysAlike(event(body, "Bearer " + Requests.TOKEN));
        assertEquals(409, direct.getStatusCode());
        assertEquals("InvalidParameter", JSON.readTree(direct.getBody()).get("code").asText());
    }

    @Test
    void malformedJsonIsAnsweredAlike() throws Exception {
        ObjectNode event = event(Requests.validBody(), "Bearer " + Requests.TOKEN);
        event.put("body", "{\"images\": [");
        assertEquals(400, bothWaysAlike(event).getStatusCode());
    }

    @Test
    void upstreamRefusalsAndFailuresAreAnsweredAlike() throws Exception {
        upstream(aResponse().withStatus(401).withBody("{\"message\":\"Invalid token\",\"code\":\"UNAUTHORIZED\"}"));
        assertEquals(401, bothWaysAlike(event(Requests.validBody(), "Bearer " + Requests.TOKEN)).getStatusCode());

        upstream(aResponse().withStatus(429).withHeader("Retry-After", "120"));
        APIGatewayV2HTTPResponse limited = bothWaysAlike(event(Requests.validBody(), "Bearer " + Requests.TOKEN));
        assertEquals(429, limited.getStatusCode());
        assertEquals("120", limited.getHeaders().get("Retry-After"));

        upstream(aResponse().withStatus(500));
        assertEquals(502, bothWaysAlike(event(Requests.validBody(), "Bearer " + Requests.TOKEN)).getStatusCode());
    }

    /** The one deliberate difference: Quarkus' handler fails such an event with a bare 500 of its own shape. */
    @Test
    void aBodyFlaggedBase64ThatIsNotIsAMalformedBody() throws Exception {
        ObjectNode event = event(Requests.validBody(), "Bearer " + Requests.TOKEN);
        event.put("isBase64Encoded", true);
        event.put("body", "{not base64}");
        APIGatewayV2HTTPResponse direct = route.handle(toEvent(event), null);
        assertEquals(400, direct.getStatusCode());
        assertEquals("MalformedBody", JSON.readTree(direct.getBody()).get("code").asText());
        assertEquals(0, UpstreamStub.searchCalls());
    }

    @Test
    void onlyThePlainSearchIsTakenOffQuarkusHttpLayer() throws Exception {
        ObjectNode plain = event(Requests.validBody(), "Bearer " + Requests.TOKEN);
        assertTrue(ApiGatewaySearchRoute.isPlainSearch(toEvent(plain)));

        ObjectNode textBody = plain.deepCopy();
        ((ObjectNode) textBody.get("headers")).put("content-type", "text/plain");
        ObjectNode otherRoute = plain.deepCopy();
        otherRoute.put("rawPath", "/v2/face-recognition/persons");
        ObjectNode otherMethod = plain.deepCopy();
        ((ObjectNode) otherMethod.get("requestContext").get("http")).put("method", "PUT");
        ObjectNode negotiated = plain.deepCopy();
        ((ObjectNode) negotiated.get("headers")).put("accept", "text/html;q=0.9, application/json;q=0.1");
        ObjectNode compressed = plain.deepCopy();
        ((ObjectNode) compressed.get("headers")).put("content-encoding", "gzip");
        for (ObjectNode unusual : new ObjectNode[] {textBody, otherRoute, otherMethod, negotiated, compressed}) {
            assertNull(route.handle(toEvent(unusual), null), unusual.toString());
        }
        // and what Quarkus answers for one of them is still the contract's
        APIGatewayV2HTTPResponse unsupported = new LambdaHttpHandler().handleRequest(toEvent(textBody), null);
        assertEquals(415, unsupported.getStatusCode());
        assertEquals("UnsupportedMediaType", JSON.readTree(unsupported.getBody()).get("code").asText());
    }

    /** Delivers the event to the route and to Quarkus' HTTP handler; asserts that both answer identically. */
    private APIGatewayV2HTTPResponse bothWaysAlike(ObjectNode eventJson) throws Exception {
        APIGatewayV2HTTPResponse direct = route.handle(toEvent(eventJson), null);
        assertNotNull(direct, "the route must take the plain search event");
        APIGatewayV2HTTPResponse quarkus = new LambdaHttpHandler().handleRequest(toEvent(eventJson), null);
        assertEquals(quarkus.getStatusCode(), direct.getStatusCode(), quarkus.getBody());
        assertEquals(JSON.readTree(quarkus.getBody()), JSON.readTree(direct.getBody()));
        assertEquals(quarkus.getBody(), direct.getBody());
        assertEquals(new TreeMap<>(quarkus.getHeaders()), new TreeMap<>(direct.getHeaders()));
        assertEquals(quarkus.getIsBase64Encoded(), direct.getIsBase64Encoded());
        assertEquals(quarkus.getCookies(), direct.getCookies());
        assertEquals(quarkus.getMultiValueHeaders(), direct.getMultiValueHeaders());
        return direct;
    }

    private static ObjectNode event(Map<String, Object> body, String authorization) throws Exception {
        return LambdaEvents.apiGatewaySearch(JSON.writeValueAsString(body), false, authorization, "req-parity-1");
    }

    private static APIGatewayV2HTTPEvent toEvent(ObjectNode json) {
        return JSON.convertValue(json, APIGatewayV2HTTPEvent.class);
    }

    private static void upstream(ResponseDefinitionBuilder response) {
        UpstreamStub.server().resetAll();
        UpstreamStub.server().stubFor(post(urlPathEqualTo(UpstreamStub.SEARCH_PATH)).willReturn(response));
    }
}
