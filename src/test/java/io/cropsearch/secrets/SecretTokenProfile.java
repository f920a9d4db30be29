package io.cropsearch.secrets;

import io.cropsearch.testing.AwsServersProfile;
import io.cropsearch.testing.SecretsManagerStub;
import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The function as the templates deploy it: no {@code VERIFIK_TOKEN} at all, the token's secret named by
 * {@code VERIFIK_TOKEN_SECRET} and read from a server speaking the Secrets Manager API, with the real results table,
 * bucket and upstream servers of {@link AwsServersProfile}. Re-reads after a 401 are not spaced out here, so that a
 * rotation a few milliseconds after the first read is seen.
 */
public class SecretTokenProfile implements QuarkusTestProfile {
    private final AwsServersProfile servers = new AwsServersProfile();

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>(servers.getConfigOverrides());
        config.remove("VERIFIK_TOKEN");
        config.put("crop-search.backend", "verifik");
        config.put("crop-search.secrets.min-reread-interval", "0s");
        config.put("quarkus.log.file.path", "target/secret-token-profile.log");
        return config;
    }

    @Override
    public List<TestResourceEntry> testResources() {
        List<TestResourceEntry> resources = new ArrayList<>(servers.testResources());
        resources.add(new TestResourceEntry(SecretsManagerStub.class, Map.of(), true));
        return resources;
    }
}
