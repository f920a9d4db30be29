package io.cropsearch.http;

import com.github.tomakehurst.wiremock.http.Fault;
import io.cropsearch.testing.LogCapture;
import io.cropsearch.testing.Requests;
import io.cropsearch.testing.UpstreamStub;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The caller's bearer token never shows in a log line or a response body, whatever happens upstream. */
@QuarkusTest
@QuarkusTestResource(UpstreamStub.class)
class TokenSecrecyTest {

    @Test
    void theTokenAppearsInNoLogLineAndNoResponse() {
        List<String> bodies = new ArrayList<>();
        try (LogCapture logs = LogCapture.start()) {
            for (var upstream : List.of(
                    aResponse().withStatus(200).withBody(ContractExamplesTest.DOC_RESPONSE),
                    aResponse().withStatus(401).withBody("{\"message\":\"Authentication required\",\"code\":\"UNAUTHORIZED\"}"),
                    aResponse().withStatus(403).withBody("not json"),
                    aResponse().withStatus(404),
                    aResponse().withStatus(500),
                    aResponse().withStatus(503),
                    aResponse().withStatus(200).withBody("{broken"),
                    aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER),
                    aResponse().withFault(Fault.MALFORMED_RESPONSE_CHUNK),
                    aResponse().withStatus(200).withBody(ContractExamplesTest.DOC_RESPONSE).withFixedDelay(3500))) {
                UpstreamStub.server().resetAll();
                UpstreamStub.server().stubFor(post(urlPathEqualTo(UpstreamStub.SEARCH_PATH)).willReturn(upstream));
                bodies.add(Requests.post(Requests.validBody()).extract().asString());
            }
            Map<String, Object> invalid = Requests.validBody();
            invalid.put("min_score", "0.7 " + Requests.TOKEN);
            bodies.add(Requests.post(invalid).extract().asString());
            bodies.add(RestAssured.given().header("Authorization", "Basic " + Requests.TOKEN)
                    .contentType("application/json").body("{}").post(Requests.PATH).then().extract().asString());
            bodies.add(RestAssured.given().header("Authorization", "Bearer " + Requests.TOKEN + " trailing junk")
                    .contentType("application/json").body("{}").post(Requests.PATH).then().extract().asString());

            List<String> lines = logs.lines();
            assertTrue(lines.stream().anyMatch(l -> l.contains("upstream refused a validated request with status 404")),
                    "the capture sees the function's own log lines: " + lines.size() + " captured");
            for (String line : lines) {
                assertFalse(line.contains(Requests.TOKEN), "token in log line: " + line);
            }
        }
        for (String body : bodies) {
            assertFalse(body.contains(Requests.TOKEN), "token in response: " + body);
        }
    }
}
