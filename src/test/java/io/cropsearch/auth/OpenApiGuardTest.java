package io.cropsearch.auth;

import io.cropsearch.testing.LogCapture;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The embedded backend never runs open on AWS: without an authorizer it refuses to start there, with one clear log
 * line; locally it starts and says once that it is open. The environment is handed in, as Lambda would set it.
 */
class OpenApiGuardTest {
    static final Map<String, String> LAMBDA = Map.of("AWS_LAMBDA_FUNCTION_NAME", "crop-search",
            "AWS_EXECUTION_ENV", "AWS_Lambda_java21");
    static final Map<String, String> LAMBDA_CUSTOM_RUNTIME = Map.of("AWS_LAMBDA_FUNCTION_NAME", "crop-search");
    static final Map<String, String> LAMBDA_EXECUTION_ENV_ONLY = Map.of("AWS_EXECUTION_ENV", "AWS_Lambda_java21");
    static final Map<String, String> LAPTOP = Map.of("HOME", "/home/dev", "AWS_REGION", "eu-west-1",
            "AWS_LAMBDA_FUNCTION_NAME", " ");

    @Test
    void onAwsTheOpenEmbeddedBackendRefusesToStartWithOneClearLine() {
        for (Map<String, String> aws : java.util.List.of(LAMBDA, LAMBDA_CUSTOM_RUNTIME, LAMBDA_EXECUTION_ENV_ONLY)) {
            try (LogCapture logs = LogCapture.start(OpenApiGuard.class.getName())) {
                IllegalStateException refused = assertThrows(IllegalStateException.class,
                        () -> OpenApiGuard.check(aws, true, false), "on AWS: " + aws);
                assertTrue(refused.getMessage().startsWith("refusing to start"), refused.getMessage());
                assertTrue(refused.getMessage().contains("API_GUARDED_BY_AUTHORIZER"), "says what to set");
                assertEquals(1, logs.lines().size(), "one log line: " + logs.lines());
                assertTrue(logs.lines().get(0).contains(OpenApiGuard.REFUSED), logs.lines().get(0));
            }
        }
    }

    @Test
    void onAwsItStartsBehindAnAuthorizerOrWithTheVerifikBackend() {
        assertNull(OpenApiGuard.check(LAMBDA, true, true), "the template's JWT authorizer guards the API");
        assertNull(OpenApiGuard.check(LAMBDA, false, false), "Verifik checks every caller's token itself");
    }

    @Test
    void locallyItStaysOpenAndSaysSo() {
        assertFalse(OpenApiGuard.onAws(LAPTOP), "AWS credentials or a region do not make a laptop a Lambda");
        assertEquals(OpenApiGuard.OPEN, OpenApiGuard.check(LAPTOP, true, false));
        assertTrue(OpenApiGuard.OPEN.contains("open"));
        assertNull(OpenApiGuard.check(LAPTOP, true, true));
        assertNull(OpenApiGuard.check(LAPTOP, false, false));
    }
}
