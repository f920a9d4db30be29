package io.cropsearch.embedded;

import io.cropsearch.testing.DynaliteServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The function on the embedded engine with its gallery in a DynamoDB table, as on AWS: GALLERY_TABLE's config key
 * names a table on dynalite, which the Quarkiverse client reaches through the same settings as the results tests.
 */
public class GalleryTableProfile implements QuarkusTestProfile {
    /** Per test JVM: dynalite lives as long as the JVM, and a second run must not find this one's persons. */
    public static final String TABLE = "crop-search-gallery-" + ProcessHandle.current().pid();

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("crop-search.backend", "embedded");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(Table.class, Map.of(), true));
    }

    public static class Table implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            Map<String, String> config = new HashMap<>(new DynaliteServer().start());
            try (DynamoDbClient client = DynaliteServer.client()) {
                client.createTable(DynamoDbGalleryStore.createTableRequest(TABLE));
            } catch (software.amazon.awssdk.services.dynamodb.model.ResourceInUseException exists) {
                // an earlier start of this profile in the same JVM
            }
            config.put("crop-search.embedded.gallery-table", TABLE);
            return config;
        }

        @Override
        public void stop() {
            // dynalite ends with the JVM
        }
    }
}
