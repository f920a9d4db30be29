package io.cropsearch.people;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/**
 * The function as a newcomer runs it in dev mode: the embedded engine with a gallery file of its own, and the demo
 * page on. Shared by the OpenAPI drift test and the browser test so that the suite boots it once; each test keeps to
 * its own collection.
 */
public class DemoProfile implements QuarkusTestProfile {
    public static final String GALLERY = "target/test-gallery/people-" + ProcessHandle.current().pid() + ".json";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("crop-search.backend", "embedded", "crop-search.embedded.gallery-file", GALLERY,
                "crop-search.demo-ui.enabled", "true");
    }
}
