package io.cropsearch.embedded;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/** The embedded engine with a gallery of its own, so that the 1:1 tests neither see nor leave other tests' persons. */
public class FaceMatchEmbeddedProfile implements QuarkusTestProfile {
    public static final String GALLERY = "target/test-gallery/face-match-" + ProcessHandle.current().pid() + ".json";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("crop-search.backend", "embedded", "crop-search.embedded.gallery-file", GALLERY);
    }
}
