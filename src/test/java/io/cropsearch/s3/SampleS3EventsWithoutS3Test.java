package io.cropsearch.s3;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cropsearch.entrypoints.S3EventHandler.S3DeliveryFailedException;
import io.cropsearch.testing.LambdaEvents;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The S3 sample events posted where no S3 is configured (dev mode on a laptop, README): the invocation still fails, so
 * that on AWS Lambda would retry, but its error names what is missing and how to provide it instead of a bare CDI
 * CreationException from the S3 client that could not be built.
 */
@QuarkusTest
@TestProfile(SampleS3EventsWithoutS3Test.NoS3.class)
class SampleS3EventsWithoutS3Test {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** No S3 endpoint, region or credentials: only what the SDK's chains would find in the JVM and environment. */
    public static class NoS3 implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(NoAwsSystemProperties.class));
        }
    }

    /**
     * Other test resources of this JVM leave a region and dummy credentials in system properties (the SDK's chains
     * read them); they are taken away for this profile's run and put back afterwards. The instance metadata service
     * is switched off too, so that a CI runner on EC2 cannot lend its region.
     */
    public static class NoAwsSystemProperties implements QuarkusTestResourceLifecycleManager {
        private static final List<String> NAMES = List.of("aws.region", "aws.accessKeyId", "aws.secretAccessKey",
                "aws.sessionToken", "aws.disableEc2Metadata");
        private final Map<String, String> saved = new HashMap<>();

        @Override
        public Map<String, String> start() {
            for (String name : NAMES) {
                String value = System.clearProperty(name);
                if (value != null) {
                    saved.put(name, value);
                }
            }
            System.setProperty("aws.disableEc2Metadata", "true");
            return Map.of();
        }

        @Override
        public void stop() {
            NAMES.forEach(System::clearProperty);
            saved.forEach(System::setProperty);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"s3-put-single.json", "s3-put-multi.json"})
    void theInvocationFailsWithAnErrorThatSaysHowToProvideS3(String file) throws Exception {
        assumeTrue(System.getenv("AWS_REGION") == null && System.getenv("AWS_DEFAULT_REGION") == null,
                "the environment names an AWS region, so an S3 client can be built here");
        JsonNode event = JSON.readTree(Files.readString(Path.of("infra/events", file)));
        int records = event.path("Records").size();

        Response response = LambdaEvents.deliver(event.toString());

        // A failed invocation (the mock event server's 500 with errorType/errorMessage), not a handled 200: on AWS
        // Lambda retries it and finally hands it to the on-failure destination.
        assertEquals(500, response.statusCode(), response.asString());
        assertEquals(S3DeliveryFailedException.class.getName(), response.jsonPath().getString("errorType"),
                response.asString());
        String message = response.jsonPath().getString("errorMessage");
        assertTrue(message.startsWith(records + " of " + records + " S3 records need another delivery: "
                + S3UploadProcessor.S3_NOT_CONFIGURED), message);
        assertTrue(message.contains("S3 is not configured: set AWS_REGION and AWS credentials"), message);
        assertTrue(message.contains("AWS_ENDPOINT_URL_S3"), message);
    }
}
