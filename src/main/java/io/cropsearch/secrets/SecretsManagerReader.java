package io.cropsearch.secrets;

import io.cropsearch.config.CropSearchConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClientBuilder;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;

import java.util.function.Supplier;

/**
 * {@link SecretReader} over the AWS SDK v2 Secrets Manager client (the small url-connection transport, like the
 * function's other AWS clients). The client is built on first use only: a function without a secret to read needs
 * neither credentials nor network for it.
 */
@ApplicationScoped
public class SecretsManagerReader implements SecretReader {
    private static final Logger LOG = Logger.getLogger(SecretsManagerReader.class);

    private final Supplier<SecretsManagerClient> factory;
    private volatile SecretsManagerClient client;

    @Inject
    public SecretsManagerReader(CropSearchConfig config) {
        this(() -> {
            SecretsManagerClientBuilder builder = SecretsManagerClient.builder()
                    .httpClient(UrlConnectionHttpClient.create());
            config.secrets().endpointOverride().ifPresent(builder::endpointOverride);
            return builder.build();
        });
    }

    /** For a client built elsewhere (tests point one at a local Secrets Manager-compatible server). */
    public SecretsManagerReader(Supplier<SecretsManagerClient> factory) {
        this.factory = factory;
    }

    @Override
    public String read(String secretId) {
        GetSecretValueResponse response;
        try {
            response = client().getSecretValue(GetSecretValueRequest.builder().secretId(secretId).build());
        } catch (SdkException e) {
            // The SDK's messages name the request, not the value; the type and status are all that is logged.
            String reason = e instanceof software.amazon.awssdk.awscore.exception.AwsServiceException service
                    ? service.getClass().getSimpleName() + " " + service.statusCode() : e.getClass().getSimpleName();
            LOG.warnf("secret %s could not be read: %s", secretId, reason);
            throw new SecretUnavailableException("secret " + secretId + " could not be read: " + reason);
        }
        String value = response.secretString();
        if (value == null || value.isBlank()) {
            throw new SecretUnavailableException("secret " + secretId + " has no SecretString");
        }
        // A token pasted into the console often carries a trailing newline, which no upstream accepts.
        return value.strip();
    }

    private SecretsManagerClient client() {
        SecretsManagerClient c = client;
        if (c == null) {
            synchronized (this) {
                if (client == null) {
                    client = factory.get();
                }
                c = client;
            }
        }
        return c;
    }
}
