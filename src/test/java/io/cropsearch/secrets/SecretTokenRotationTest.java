package io.cropsearch.secrets;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.cropsearch.records.ItemShape;
import io.cropsearch.testing.AwsServersProfile;
import io.cropsearch.testing.DynaliteServer;
import io.cropsearch.testing.LambdaEvents;
import io.cropsearch.testing.LogCapture;
import io.cropsearch.testing.ResultsTable;
import io.cropsearch.testing.S3Events;
import io.cropsearch.testing.SecretsManagerStub;
import io.cropsearch.testing.TestImages;
import io.cropsearch.testing.Upstream;
import io.cropsearch.testing.UpstreamStub;
import io.cropsearch.testing.Uploads;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * S3 uploads searched with the function's own token read from Secrets Manager at run time: the cached value serves
 * later uploads, a rotation is picked up at the upstream's first 401 (one re-read, one more attempt, no lost upload),
 * a token the upstream keeps refusing fails the invocation for a retry, and no value ever reaches a log or a record.
 */
@QuarkusTest
@TestProfile(SecretTokenProfile.class)
class SecretTokenRotationTest {
    static final String V1 = "tok-v1-SECRET-rotation-1111";
    static final String V2 = "tok-v2-SECRET-rotation-2222";
    static final String V3 = "tok-v3-SECRET-rotation-3333";
    static final String BUCKET = AwsServersProfile.BUCKET;

    final WireMockServer upstream = UpstreamStub.server();

    @Test
    void aRotatedSecretIsPickedUpAtTheFirst401AndNoValueLeaks() throws Exception {
        try (LogCapture logs = LogCapture.start()) {
            SecretsManagerStub.server().resetAll();
            upstream.resetAll();
            SecretsManagerStub.holds(V1);
            acceptOnly(V1, "person-v1");

            String first = "rotation/first.png";
            byte[] image = TestImages.png(120, 120);
            String eTagFirst = Uploads.put(first, image, Map.of());
            LambdaEvents.assertDelivered(S3Events.event().created(BUCKET, first, image.length, eTagFirst, null).json());
            assertEquals("MATCHED", status(first, eTagFirst));
            String second = "rotation/second.png";
            String eTagSecond = Uploads.put(second, TestImages.png(118, 118), Map.of());
            LambdaEvents.assertDelivered(S3Events.event().created(BUCKET, second, 100, eTagSecond, null).json());
            assertEquals(1, SecretsManagerStub.reads(), "the second upload used the cached value");

            // Rotation: the secret now holds V2, and the upstream no longer accepts V1.
            SecretsManagerStub.holds(V2);
            upstream.resetAll();
            acceptOnly(V2, "person-v2");
            String third = "rotation/third.png";
            String eTagThird = Uploads.put(third, TestImages.png(116, 116), Map.of());
            LambdaEvents.assertDelivered(S3Events.event().created(BUCKET, third, 100, eTagThird, null).json());
            assertEquals("MATCHED", status(third, eTagThird), "the rotated token searched the upload");
            assertEquals("2", ResultsTable.get("OBJ#" + BUCKET + "/" + third, "V#" + eTagThird).get("attempts").n(),
                    "the record counts the refused attempt and the one after the re-read");
            assertEquals(2, SecretsManagerStub.reads(), "one re-read after the 401");
            upstream.verify(1, postRequestedFor(urlEqualTo(Upstream.PATH)).withHeader("Authorization", equalTo("Bearer " + V1)));
            upstream.verify(1, postRequestedFor(urlEqualTo(Upstream.PATH)).withHeader("Authorization", equalTo("Bearer " + V2)));

            // A token the upstream refuses even after a re-read: the invocation fails (Lambda retries, then the
            // failure queue keeps the upload), and the 401's echo of the token is not recorded.
            SecretsManagerStub.holds(V3);
            upstream.resetAll();
            upstream.stubFor(Upstream.search().willReturn(aResponse().withStatus(401)
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"message\":\"token {{request.headers.Authorization}} refused\",\"code\":\"UNAUTHORIZED\"}")
                    .withTransformers("response-template")));
            String fourth = "rotation/fourth.png";
            String eTagFourth = Uploads.put(fourth, TestImages.png(114, 114), Map.of());
            Response failed = LambdaEvents.deliver(S3Events.event().created(BUCKET, fourth, 100, eTagFourth, null).json());
            assertNotEquals(200, failed.statusCode(), "the invocation fails, so that the upload is retried: " + failed.asString());
            assertEquals(3, SecretsManagerStub.reads());
            assertEquals("FAILED", status(fourth, eTagFourth));
            assertEquals(2, upstream.findAll(postRequestedFor(urlEqualTo(Upstream.PATH))).size(),
                    "V2, then once more with V3, and no more");

            for (String line : logs.lines()) {
                for (String value : List.of(V1, V2, V3)) {
                    assertFalse(line.contains(value), "a token in a log line: " + line);
                }
            }
            String logFile = Files.readString(Path.of("target/secret-token-profile.log"));
            assertTrue(logFile.contains("Verifik token read from secret"), "the log file is this run's");
            for (String value : List.of(V1, V2, V3)) {
                assertFalse(logFile.contains(value), "a token in the log file");
                assertFalse(failed.asString().contains(value), "a token in the invocation's error");
            }
            try (DynamoDbClient client = DynaliteServer.client()) {
                int scanned = 0;
                for (var item : client.scanPaginator(b -> b.tableName(AwsServersProfile.TABLE)).items()) {
                    String json = ItemShape.toJson(item).toString();
                    for (String value : List.of(V1, V2, V3)) {
                        assertFalse(json.contains(value), "a token in a record: " + json);
                    }
                    scanned++;
                }
                assertTrue(scanned >= 4);
            }
        }
    }

    /** The upstream answers a match for {@code token} and Verifik's 401 for any other. */
    private void acceptOnly(String token, String personId) {
        upstream.stubFor(Upstream.search().atPriority(5).willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"message\":\"Authentication required\",\"code\":\"UNAUTHORIZED\"}")));
        upstream.stubFor(Upstream.search().atPriority(1).withHeader("Authorization", equalTo("Bearer " + token))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"id\":\"SC01\",\"data\":[{\"id\":\"" + personId + "\",\"name\":\"J\",\"score\":0.9,"
                                + "\"thumbnails\":[]}],\"signature\":{\"message\":\"m\",\"dateTime\":\"d\"}}")));
    }

    private static String status(String key, String eTag) {
        return ResultsTable.get("OBJ#" + BUCKET + "/" + key, "V#" + eTag).get(ItemShape.STATUS).s();
    }
}
