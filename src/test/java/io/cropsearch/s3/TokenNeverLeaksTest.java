package io.cropsearch.s3;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.cropsearch.records.ItemShape;
import io.cropsearch.testing.AwsServersProfile;
import io.cropsearch.testing.DynaliteServer;
import io.cropsearch.testing.LambdaEvents;
import io.cropsearch.testing.LogCapture;
import io.cropsearch.testing.ResultsTable;
import io.cropsearch.testing.S3Events;
import io.cropsearch.testing.TestImages;
import io.cropsearch.testing.Upstream;
import io.cropsearch.testing.UpstreamStub;
import io.cropsearch.testing.Uploads;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The function's own token (VERIFIK_TOKEN) goes upstream and nowhere else: not into any log line at any level, nor into
 * any record, across success, failures, rejections, skips and duplicates.
 */
@QuarkusTest
@TestProfile(AwsServersProfile.class)
class TokenNeverLeaksTest {
    private static final String TOKEN = AwsServersProfile.TOKEN;
    private static final String BUCKET = AwsServersProfile.BUCKET;

    private final WireMockServer wireMock = UpstreamStub.server();

    private LogCapture logs;

    @BeforeEach
    void captureEveryLogRecord() {
        wireMock.resetAll();
        logs = LogCapture.start();
    }

    @AfterEach
    void stopCapturing() {
        logs.close();
    }

    @Test
    void tokenIsSentUpstreamButNeverLoggedNorRecorded() throws IOException {
        byte[] image = TestImages.png(120, 120);
        String ok = "token/ok.png";
        String eTagOk = Uploads.put(ok, image, Map.of("collection-id", "token-test"));
        Upstream.matches(wireMock, "person-token", 0.9);
        LambdaEvents.assertDelivered(S3Events.event().created(BUCKET, ok, image.length, eTagOk, null).json());
        LambdaEvents.deliver(S3Events.event().created(BUCKET, ok, image.length, eTagOk, null).json());

        String down = "token/down.png";
        String eTagDown = Uploads.put(down, TestImages.png(110, 110), Map.of());
        Upstream.status(wireMock, 502);
        LambdaEvents.deliver(S3Events.event().created(BUCKET, down, 100, eTagDown, null).json());

        // An upstream that echoes the token back in its error must not get it recorded either.
        String refused = "token/refused.png";
        String eTagRefused = Uploads.put(refused, TestImages.png(100, 100), Map.of());
        wireMock.stubFor(Upstream.search().willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"message\":\"Authentication required\",\"code\":\"UNAUTHORIZED\"}")));
        LambdaEvents.deliver(S3Events.event().created(BUCKET, refused, 100, eTagRefused, null).json());

        String echoed = "token/echoed.png";
        String eTagEchoed = Uploads.put(echoed, TestImages.png(104, 104), Map.of());
        wireMock.resetAll();
        wireMock.stubFor(Upstream.search().willReturn(aResponse().withStatus(409)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"message\":\"bad request from Bearer " + TOKEN + "\",\"code\":\"MissingParameter\"}")));
        LambdaEvents.deliver(S3Events.event().created(BUCKET, echoed, 100, eTagEchoed, null).json());
        assertEquals("bad request from Bearer [redacted]", ResultsTable.get("OBJ#" + BUCKET + "/" + echoed,
                "V#" + eTagEchoed).get("error").m().get("message").s());

        String rejected = "token/rejected.png";
        String eTagRejected = Uploads.put(rejected, image, Map.of("search-mode", "SLOW"));
        LambdaEvents.deliver(S3Events.event().created(BUCKET, rejected, 100, eTagRejected, null).json());
        LambdaEvents.deliver(S3Events.event().created(BUCKET, "token/notes.txt", 5, "e-notes", null).json());

        Upstream.matches(wireMock, "person-token-http", 0.9);
        given().contentType(ContentType.JSON).header("Authorization", "Bearer caller-token-xyz")
                .body("{\"images\":[\"" + Base64.getEncoder().encodeToString(image)
                        + "\"],\"min_score\":0.7,\"search_mode\":\"FAST\"}")
                .when().post(Upstream.PATH).then().statusCode(200);

        // Not vacuous: the token did travel, upstream only.
        wireMock.verify(postRequestedFor(urlEqualTo(Upstream.PATH)).withHeader("Authorization",
                equalTo("Bearer " + TOKEN)));

        List<String> captured = logs.lines();
        assertFalse(captured.isEmpty());
        captured.forEach(line -> assertFalse(line.contains(TOKEN), () -> "token in a log line: " + line));
        String logFile = Files.readString(Path.of(AwsServersProfile.LOG_FILE));
        assertTrue(logFile.contains("recorded as MATCHED"), "the log file is the one this run writes");
        assertFalse(logFile.contains(TOKEN), "token in " + AwsServersProfile.LOG_FILE);
        assertFalse(logFile.contains("caller-token-xyz"), "caller's token in " + AwsServersProfile.LOG_FILE);

        try (DynamoDbClient client = DynaliteServer.client()) {
            var items = client.scanPaginator(b -> b.tableName(AwsServersProfile.TABLE)).items();
            int count = 0;
            for (var item : items) {
                String json = ItemShape.toJson(item).toString();
                assertFalse(json.contains(TOKEN), () -> "token in a record: " + json);
                assertFalse(json.contains("caller-token-xyz"), () -> "caller's token in a record: " + json);
                count++;
            }
            assertTrue(count >= 5, "records of this test were scanned");
        }
    }
}
