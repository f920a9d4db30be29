package io.cropsearch.s3;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.cropsearch.entrypoints.S3EventHandler;
import io.cropsearch.testing.AwsServersProfile;
import io.cropsearch.testing.LambdaEvents;
import io.cropsearch.testing.ResultsTable;
import io.cropsearch.testing.S3Events;
import io.cropsearch.testing.TestImages;
import io.cropsearch.testing.Upstream;
import io.cropsearch.testing.UpstreamStub;
import io.cropsearch.testing.Uploads;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Guards the one workaround that lets one artifact serve both API Gateway and S3 (LambdaEventDispatch and
 * LambdaEventRecognizer): raw events through the mock event server, exactly as Lambda would deliver them. If a Quarkus
 * upgrade changes how the handler is found, decorated or fed, these fail.
 */
@QuarkusTest
@TestProfile(AwsServersProfile.class)
class S3DispatchTest {
    private final WireMockServer wireMock = UpstreamStub.server();

    @BeforeEach
    void resetUpstream() {
        wireMock.resetAll();
    }

    @Test
    void s3EventReachesTheS3HandlerAndSucceeds() {
        String key = "dispatch/ok.png";
        String eTag = Uploads.put(key, TestImages.png(120, 120), Map.of());
        Upstream.matches(wireMock, "person-dispatch", 0.93);

        Response response = LambdaEvents.deliver(S3Events.event().created(AwsServersProfile.BUCKET, key, 1, eTag, null)
                .json());

        assertEquals(200, response.statusCode(), response.asString());
        JsonPath body = response.jsonPath();
        assertEquals(200, body.getInt("statusCode"));
        assertTrue(body.getString("body").contains("\"matched\":1"), body.getString("body"));
        assertNull(body.get("errorType"));
        assertNotNull(ResultsTable.get("OBJ#" + AwsServersProfile.BUCKET + "/" + key, "V#" + eTag));
    }

    @Test
    void transientFailureFailsTheInvocationInsteadOfAnsweringHttp500() {
        String key = "dispatch/upstream-down.png";
        String eTag = Uploads.put(key, TestImages.png(120, 120), Map.of());
        Upstream.status(wireMock, 503);

        Response response = LambdaEvents.deliver(S3Events.event().created(AwsServersProfile.BUCKET, key, 1, eTag, null)
                .json());

        // The mock event server's shape of a failed invocation, not an API Gateway response with statusCode 500.
        assertEquals(500, response.statusCode(), response.asString());
        JsonPath body = response.jsonPath();
        assertEquals(S3EventHandler.S3DeliveryFailedException.class.getName(), body.getString("errorType"));
        assertTrue(body.getString("errorMessage").startsWith("1 of 1 S3 records need another delivery"),
                body.getString("errorMessage"));
        assertNull(body.get("statusCode"));
    }

    @Test
    void recordsFromAnotherSourceFailTheInvocationRatherThanVanish() {
        Response response = LambdaEvents.deliver(S3Events.event().foreign("aws:sqs").json());

        assertEquals(500, response.statusCode(), response.asString());
        assertEquals(S3EventHandler.S3DeliveryFailedException.class.getName(), response.jsonPath().getString("errorType"));
    }

    @Test
    void rawApiGatewayEventStillReachesTheHttpHandler() {
        String event = """
                {"version":"2.0","routeKey":"$default","rawPath":"/v2/face-recognition/search/crops","rawQueryString":"",
                 "headers":{"content-type":"application/json","authorization":"Bearer abc"},
                 "requestContext":{"accountId":"123456789012","apiId":"api","domainName":"localhost","requestId":"req-dispatch-1",
                   "routeKey":"$default","stage":"$default","time":"25/Nov/2026:20:00:00 +0000","timeEpoch":1795636800000,
                   "http":{"method":"POST","path":"/v2/face-recognition/search/crops","protocol":"HTTP/1.1",
                           "sourceIp":"127.0.0.1","userAgent":"test"}},
                 "body":"{\\"images\\":[]}","isBase64Encoded":false}
                """;

        Response response = LambdaEvents.deliver(event);

        assertEquals(200, response.statusCode(), response.asString());
        JsonPath body = response.jsonPath();
        assertEquals(409, body.getInt("statusCode"));
        assertFalse(body.getString("body").contains("s3Records"));
        assertTrue(body.getString("body").contains("images"), body.getString("body"));
    }

    @Test
    void plainHttpRequestsStillWork() {
        given().contentType(ContentType.JSON).header("Authorization", "Bearer abc").body("{}")
                .when().post(Upstream.PATH)
                .then().statusCode(409).body("code", equalTo("MissingParameter"));
    }
}
