package io.cropsearch.embedded;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/** The function on the embedded engine with a gallery file of its own. */
public class EmbeddedProfile implements QuarkusTestProfile {
    public static final String GALLERY = "target/test-gallery/embedded-" + ProcessHandle.current().pid() + ".json";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("crop-search.backend", "embedded", "crop-search.embedded.gallery-file", GALLERY);
    }
}
