package io.cropsearch.embedded;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/** The embedded engine with a gallery of its own, so that the evaluation's eight persons are the only ones searched. */
public class PhotoEvaluationProfile implements QuarkusTestProfile {
    public static final String GALLERY = "target/test-gallery/photo-evaluation-" + ProcessHandle.current().pid()
            + ".json";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("crop-search.backend", "embedded", "crop-search.embedded.gallery-file", GALLERY);
    }
}
