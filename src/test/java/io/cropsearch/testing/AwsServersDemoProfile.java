package io.cropsearch.testing;

import java.util.HashMap;
import java.util.Map;

/**
 * {@link AwsServersProfile} with the demo page on: the records endpoint reads the dynalite table. A profile of its own
 * (one more Quarkus start) because the page is off in the packaged function's defaults, which the other AWS tests keep.
 */
public class AwsServersDemoProfile extends AwsServersProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>(super.getConfigOverrides());
        config.put("crop-search.demo-ui.enabled", "true");
        return config;
    }
}
