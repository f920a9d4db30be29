package io.cropsearch.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cropsearch.testing.LambdaEvents;
import io.cropsearch.testing.Requests;
import io.cropsearch.testing.UpstreamStub;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** API Gateway HTTP API (payload v2) events delivered raw, as Lambda would, to the mock event server's /_lambda_. */
@QuarkusTest
@QuarkusTestResource(UpstreamStub.class)
class RawApiGatewayEventsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeEach
    void stub() {
        UpstreamStub.server().resetAll();
        UpstreamStub.server().stubFor(post(urlPathEqualTo(UpstreamStub.SEARCH_PATH))
                .willReturn(aResponse().withStatus(200).withBody(ContractExamplesTest.DOC_RESPONSE)));
    }

    @Test
    void aValidEventIsSearchedAndAnsweredAsAnApiGatewayResponse() throws Exception {
        JsonNode response = deliver(event(JSON.writeValueAsString(Requests.validBody()), false, true));
        assertEquals(200, response.get("statusCode").asInt());
        assertEquals("SC01", JSON.readTree(body(response)).get("id").asText());
        assertEquals(1, UpstreamStub.searchCalls());
    }

    @Test
    void aBase64EncodedBodyIsDecodedFirst() throws Exception {
        String encoded = Base64.getEncoder().encodeToString(JSON.writeValueAsBytes(Requests.validBody()));
        JsonNode response = deliver(event(encoded, true, true));
        assertEquals(200, response.get("statusCode").asInt());
    }

    @Test
    void anInvalidEventGets409InTheContractShape() throws Exception {
        Map<String, Object> body = Requests.validBody();
        body.put("min_score", 0.3);
        JsonNode response = deliver(event(JSON.writeValueAsString(body), false, true));
        assertEquals(409, response.get("statusCode").asInt());
        JsonNode error = JSON.readTree(body(response));
        assertEquals("\"min_score\" must be greater than or equal to 0.5", error.get("message").asText());
        assertEquals("InvalidParameter", error.get("code").asText());
        assertEquals(0, UpstreamStub.searchCalls());
    }

    @Test
    void anEventWithoutAuthorizationGets401() throws Exception {
        JsonNode response = deliver(event(JSON.writeValueAsString(Requests.validBody()), false, false));
        assertEquals(401, response.get("statusCode").asInt());
        assertEquals("{\"message\":\"Authentication required\",\"code\":\"UNAUTHORIZED\"}", body(response));
        assertEquals(0, UpstreamStub.searchCalls());
    }

    static ObjectNode event(String body, boolean base64, boolean withAuth) {
        return LambdaEvents.apiGatewaySearch(body, base64, withAuth ? "Bearer " + Requests.TOKEN : null, "req-raw-1");
    }

    static JsonNode deliver(ObjectNode event) throws Exception {
        String raw = RestAssured.given().contentType("application/json").body(JSON.writeValueAsString(event))
                .post("/_lambda_").then().extract().asString();
        return JSON.readTree(raw);
    }

    static String body(JsonNode response) {
        String body = response.get("body").asText();
        return response.path("isBase64Encoded").asBoolean() ? new String(Base64.getDecoder().decode(body)) : body;
    }
}
