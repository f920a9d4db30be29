package io.cropsearch.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Delivers raw events through the Lambda mock event server's {@code POST /_lambda_}, as Lambda would invoke. */
public final class LambdaEvents {
    public static final String RAW_EVENT_PATH = "/_lambda_";

    private LambdaEvents() {
    }

    public static final String SEARCH_PATH = "/v2/face-recognition/search/crops";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * An API Gateway HTTP API (payload 2.0) event for {@code POST /v2/face-recognition/search/crops}, shaped as API
     * Gateway sends it; {@code authorization} null leaves the header out.
     */
    public static ObjectNode apiGatewaySearch(String body, boolean base64, String authorization, String requestId) {
        ObjectNode event = JSON.createObjectNode();
        event.put("version", "2.0");
        event.put("routeKey", "POST " + SEARCH_PATH);
        event.put("rawPath", SEARCH_PATH);
        event.put("rawQueryString", "");
        ObjectNode headers = event.putObject("headers");
        headers.put("content-type", "application/json");
        if (authorization != null) {
            headers.put("authorization", authorization);
        }
        int length = base64 ? java.util.Base64.getDecoder().decode(body).length
                : body.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        headers.put("content-length", Integer.toString(length));
        headers.put("host", "api1234.execute-api.us-east-1.amazonaws.com");
        headers.put("user-agent", "test");
        headers.put("x-forwarded-for", "203.0.113.10");
        headers.put("x-forwarded-proto", "https");
        ObjectNode context = event.putObject("requestContext");
        context.put("accountId", "123456789012");
        context.put("apiId", "api1234");
        context.put("domainName", "api1234.execute-api.us-east-1.amazonaws.com");
        context.put("requestId", requestId);
        context.put("routeKey", "POST " + SEARCH_PATH);
        context.put("stage", "$default");
        context.put("time", "25/Nov/2026:20:00:00 +0000");
        context.put("timeEpoch", 1795636800000L);
        ObjectNode http = context.putObject("http");
        http.put("method", "POST");
        http.put("path", SEARCH_PATH);
        http.put("protocol", "HTTP/1.1");
        http.put("sourceIp", "203.0.113.10");
        http.put("userAgent", "test");
        event.put("body", body);
        event.put("isBase64Encoded", base64);
        return event;
    }

    public static Response deliver(String eventJson) {
        return given().contentType(ContentType.JSON).body(eventJson).when().post(RAW_EVENT_PATH).thenReturn();
    }

    /** Delivers and asserts a successful invocation (the response of an invocation that did not throw). */
    public static Response assertDelivered(String eventJson) {
        Response response = deliver(eventJson);
        assertEquals(200, response.statusCode(), response.asString());
        assertEquals(200, response.jsonPath().getInt("statusCode"), response.asString());
        return response;
    }
}
