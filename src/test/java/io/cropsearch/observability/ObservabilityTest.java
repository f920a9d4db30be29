package io.cropsearch.observability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cropsearch.testing.LogCapture;
import io.cropsearch.testing.Requests;
import io.cropsearch.testing.UpstreamStub;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** JSON log lines carry the request and correlation ids; one EMF line per search; no secret in either. */
@QuarkusTest
@QuarkusTestResource(UpstreamStub.class)
class ObservabilityTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path LOG_FILE = Path.of("target/test-logs/function.json.log");

    @Test
    void everySearchLeavesOneEmfLineAndIdTaggedJsonLogs() throws Exception {
        List<String> emf;
        String correlation = "corr-" + System.nanoTime();
        long logOffset = Files.exists(LOG_FILE) ? Files.size(LOG_FILE) : 0;
        try (LogCapture metrics = LogCapture.start(SearchMetrics.CATEGORY)) {
            UpstreamStub.server().resetAll();
            UpstreamStub.server().stubFor(post(urlPathEqualTo(UpstreamStub.SEARCH_PATH))
                    .willReturn(aResponse().withStatus(200).withBody(UpstreamStub.DOC_RESPONSE)));
            send(Requests.validBody(), correlation).then().statusCode(200).header("X-Correlation-Id", correlation);

            Map<String, Object> invalid = Requests.validBody();
            invalid.put("min_score", 0.1);
            send(invalid, correlation).then().statusCode(409);

            UpstreamStub.server().resetAll();
            UpstreamStub.server().stubFor(post(urlPathEqualTo(UpstreamStub.SEARCH_PATH))
                    .willReturn(aResponse().withStatus(404)));
            send(Requests.validBody(), correlation).then().statusCode(502);
            emf = metrics.lines();
        }

        assertEquals(3, emf.size(), "one EMF line per search: " + emf);
        List<String> statuses = new ArrayList<>();
        for (String line : emf) {
            JsonNode node = JSON.readTree(line.substring(line.indexOf('{')));
            JsonNode directive = node.path("_aws").path("CloudWatchMetrics").get(0);
            assertEquals(SearchMetrics.NAMESPACE, directive.path("Namespace").asText());
            assertEquals("[[\"Source\",\"Status\"],[\"Endpoint\",\"Source\",\"Status\"]]",
                    directive.path("Dimensions").toString());
            assertEquals(SearchMetrics.SEARCH_CROPS, node.path("Endpoint").asText());
            for (String metric : List.of("Latency", "MatchCount", "UpstreamAttempts")) {
                assertTrue(node.path(metric).isNumber(), metric + " in " + line);
            }
            assertTrue(node.path("_aws").path("Timestamp").isNumber());
            assertEquals("api", node.path("Source").asText());
            assertEquals(correlation, node.path("correlationId").asText());
            assertFalse(line.contains(Requests.TOKEN));
            statuses.add(node.path("Status").asText());
        }
        assertEquals(List.of("MATCHED", "REJECTED", "FAILED"), statuses);

        List<JsonNode> ours = new ArrayList<>();
        byte[] log = Files.readAllBytes(LOG_FILE);
        assertTrue(log.length > logOffset);
        String written = new String(log, (int) logOffset, (int) (log.length - logOffset), java.nio.charset.StandardCharsets.UTF_8);
        for (String line : written.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode node = JSON.readTree(line);
            assertFalse(line.contains(Requests.TOKEN), "token in " + line);
            if (correlation.equals(node.path("mdc").path("correlationId").asText())
                    || node.path("message").asText().contains("status 404")) {
                ours.add(node);
            }
        }
        assertFalse(ours.isEmpty(), "the 404 warning was logged as JSON");
        for (JsonNode node : ours) {
            assertEquals(correlation, node.path("mdc").path("correlationId").asText(), node.toString());
            assertFalse(node.path("mdc").path("requestId").asText().isEmpty(), node.toString());
        }
    }

    @Test
    void aMissingCorrelationHeaderFallsBackToAGeneratedId() {
        String header = RestAssured.given().header("Authorization", "Bearer " + Requests.TOKEN)
                .contentType("application/json").body("{}").post(Requests.PATH)
                .then().statusCode(409).extract().header("X-Correlation-Id");
        assertFalse(header == null || header.isBlank());
    }

    private static io.restassured.response.Response send(Map<String, Object> body, String correlation) {
        return RestAssured.given().header("Authorization", "Bearer " + Requests.TOKEN)
                .header("X-Correlation-Id", correlation)
                .contentType("application/json").body(body).post(Requests.PATH);
    }
}
