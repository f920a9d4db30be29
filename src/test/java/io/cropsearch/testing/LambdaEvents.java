package io.cropsearch.testing;

import io.restassured.http.ContentType;
import io.restassured.response.Response;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Delivers raw events through the Lambda mock event server's {@code POST /_lambda_}, as Lambda would invoke. */
public final class LambdaEvents {
    public static final String RAW_EVENT_PATH = "/_lambda_";

    private LambdaEvents() {
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
