package io.cropsearch.infra;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The source scanners that {@link TemplateTest} relies on find what code reads and calls, and nothing in comments. */
class CodeScannersTest {

    @Test
    void commentsGoStringsStayLinesAreKept() {
        String source = """
                /** Env {@code ONLY_IN_DOC}
                 * spans lines */
                String a = "keeps // this";  // DROPPED_LINE
                char c = '"'; String b = "and /* this */";
                """;
        String stripped = ConfigNamesInCode.withoutComments(source);
        assertFalse(stripped.contains("ONLY_IN_DOC"));
        assertFalse(stripped.contains("DROPPED_LINE"));
        assertTrue(stripped.contains("\"keeps // this\""));
        assertTrue(stripped.contains("\"and /* this */\""));
        assertEquals(source.lines().count(), stripped.lines().count());
    }

    @Test
    void configNamesComeFromPropertiesLiteralsAndKeysButNotComments(@TempDir Path main) throws IOException {
        Files.createDirectories(main.resolve("resources"));
        Files.createDirectories(main.resolve("java/x"));
        Files.writeString(main.resolve("resources/application.properties"), """
                # ${NOT_READ_COMMENTED}
                %prod.app.bar-baz=${SOME_VAR:fallback}
                quarkus.thing.enabled=true
                """);
        Files.writeString(main.resolve("java/x/Reader.java"), """
                package x;
                /** Reads {@code ONLY_IN_DOC} too, says the doc. */
                class Reader {
                    String a = System.getenv("FROM_CODE");
                    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "my-app.some-key") String b;
                    // System.getenv("COMMENTED_OUT")
                }
                """);
        Set<String> names = ConfigNamesInCode.scan(main).names.keySet();
        assertTrue(names.containsAll(Set.of("APP_BAR_BAZ", "SOME_VAR", "QUARKUS_THING_ENABLED", "FROM_CODE",
                "MY_APP_SOME_KEY")), names.toString());
        assertFalse(names.contains("NOT_READ_COMMENTED"));
        assertFalse(names.contains("ONLY_IN_DOC"));
        assertFalse(names.contains("COMMENTED_OUT"));
    }

    @Test
    void configMappingKeysAreDerivedLikeSmallRyeDoes() {
        ConfigNamesInCode code = ConfigNamesInCode.scan(TemplateTest.MAIN_SOURCES);
        for (String name : Set.of("CROP_SEARCH_BACKEND", "CROP_SEARCH_LIMITS_MAX_IMAGE_BYTES",
                "CROP_SEARCH_UPSTREAM_RETRY_MAX_RETRIES", "CROP_SEARCH_UPSTREAM_CIRCUIT_BREAKER_FAILURE_RATIO",
                "VERIFIK_BASE_URL", "QUARKUS_REST_CLIENT_VERIFIK_URL")) {
            assertTrue(code.reads(name), name + " should be found in src/main");
        }
    }

    @Test
    void awsCallsAreFoundOnlyInCodeThatUsesTheSdk(@TempDir Path java) throws IOException {
        Files.writeString(java.resolve("Sink.java"), """
                import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
                class Sink {
                    void go(DynamoDbClient client) {
                        client.getItem(b -> b.tableName("t"));
                        client
                            .putItem(b -> b.tableName("t"));
                        // client.deleteItem(b -> b.tableName("t"));
                    }
                }
                """);
        Files.writeString(java.resolve("Reader.java"), """
                import software.amazon.awssdk.services.s3.S3Client;
                class Reader {
                    void go(S3Client s3) { s3.getObject(r -> r.bucket("b").key("k").versionId("v")); }
                }
                """);
        Files.writeString(java.resolve("Other.java"), """
                class Other { void go(java.util.Map<String, String> m) { m.query(); m.scan(); } }
                """);
        Map<String, String> needed = AwsCallsInCode.scan(java);
        assertEquals(Set.of("dynamodb:GetItem", "dynamodb:PutItem", "s3:GetObject", "s3:GetObjectVersion"),
                needed.keySet(), needed.toString());
        assertEquals("Sink.java:4 getItem", needed.get("dynamodb:GetItem"));
    }
}
