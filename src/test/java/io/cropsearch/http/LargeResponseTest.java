package io.cropsearch.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cropsearch.testing.Requests;
import io.cropsearch.testing.UpstreamStub;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Guards the {@code quarkus.rest.output-buffer-size} workaround: a response larger than RESTEasy Reactive's default
 * 8 KiB buffer must reach API Gateway as one body, with no {@code transfer-encoding} header. If a Quarkus upgrade
 * changes how the Lambda HTTP handler copies headers, this test says so.
 */
@QuarkusTest
@QuarkusTestResource(UpstreamStub.class)
class LargeResponseTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeEach
    void largeUpstreamAnswer() {
        StringBuilder data = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            data.append(i == 0 ? "" : ",").append("{\"id\":\"p").append(i).append("\",\"name\":\"Person ").append(i)
                    .append("\",\"score\":0.9,\"thumbnails\":[{\"id\":\"t").append(i).append("\",\"thumbnail\":\"")
                    .append("A".repeat(2000)).append("\"}]}");
        }
        UpstreamStub.server().resetAll();
        UpstreamStub.server().stubFor(post(urlPathEqualTo(UpstreamStub.SEARCH_PATH)).willReturn(aResponse().withStatus(200)
                .withBody("{\"id\":\"BIG\",\"data\":[" + data + "],\"signature\":{\"message\":\"m\",\"dateTime\":\"d\"}}")));
    }

    @Test
    void aLargeResponseArrivesWhole() {
        String body = Requests.post(Requests.validBody()).statusCode(200).extract().asString();
        assertFalse(body.length() < 40_000, "body of " + body.length() + " chars");
    }

    @Test
    void theApiGatewayResponseCarriesNoTransferEncoding() throws Exception {
        JsonNode response = RawApiGatewayEventsTest.deliver(
                RawApiGatewayEventsTest.event(JSON.writeValueAsString(Requests.validBody()), false, true));
        assertEquals(200, response.get("statusCode").asInt());
        response.path("headers").fieldNames().forEachRemaining(name ->
                assertFalse(name.equalsIgnoreCase("transfer-encoding"), "header " + name));
        assertEquals(20, JSON.readTree(RawApiGatewayEventsTest.body(response)).get("data").size());
    }
}
