package io.cropsearch.s3;

import io.cropsearch.entrypoints.S3EventHandler.S3DeliveryFailedException;
import io.cropsearch.testing.LambdaEvents;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The other half of "S3 is not configured": a region (so the client is built) but no credentials anywhere in the
 * SDK's chain, the usual state of a laptop with AWS_REGION exported. The SDK refuses to sign before sending anything;
 * the endpoint is a closed local port all the same, so that a credential found by mistake cannot reach AWS.
 */
@QuarkusTest
@TestProfile(SampleS3EventsWithoutCredentialsTest.RegionWithoutCredentials.class)
class SampleS3EventsWithoutCredentialsTest {

    public static class RegionWithoutCredentials implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.s3.aws.region", "us-east-1",
                    "quarkus.s3.endpoint-override", "http://127.0.0.1:1");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(SampleS3EventsWithoutS3Test.NoAwsSystemProperties.class));
        }
    }

    @Test
    void theInvocationFailsWithAnErrorThatSaysHowToProvideS3() throws Exception {
        assumeTrue(System.getenv("AWS_ACCESS_KEY_ID") == null && System.getenv("AWS_PROFILE") == null
                && System.getenv("AWS_CONTAINER_CREDENTIALS_FULL_URI") == null
                && System.getenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") == null
                && System.getenv("AWS_WEB_IDENTITY_TOKEN_FILE") == null
                && !Files.exists(Path.of(System.getProperty("user.home"), ".aws")),
                "the environment holds AWS credentials");

        Response response = LambdaEvents.deliver(Files.readString(Path.of("infra/events/s3-put-single.json")));

        assertEquals(500, response.statusCode(), response.asString());
        assertEquals(S3DeliveryFailedException.class.getName(), response.jsonPath().getString("errorType"),
                response.asString());
        String message = response.jsonPath().getString("errorMessage");
        assertTrue(message.startsWith("1 of 1 S3 records need another delivery: "
                + S3UploadProcessor.S3_NOT_CONFIGURED), message);
        assertTrue(message.contains("S3 is not configured: set AWS_REGION and AWS credentials"), message);
    }
}
