package io.cropsearch.testing;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/**
 * A real HTTP server speaking the part of the Secrets Manager API the function uses: {@code GetSecretValue} over the
 * AWS JSON 1.1 protocol ({@code POST /}, {@code X-Amz-Target: secretsmanager.GetSecretValue}, a JSON body naming the
 * {@code SecretId}). The SDK client signs and sends real requests to it; nothing of the SDK is mocked.
 */
public class SecretsManagerStub implements QuarkusTestResourceLifecycleManager {
    public static final String SECRET_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:verifik/token-AbCdEf";
    public static final String TARGET = "secretsmanager.GetSecretValue";
    private static WireMockServer server;

    public static synchronized WireMockServer server() {
        if (server == null) {
            server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
            server.start();
        }
        return server;
    }

    public static String endpoint() {
        return "http://127.0.0.1:" + server().port();
    }

    /** From now on the secret's SecretString is {@code value} (a rotation when it changes). */
    public static void holds(String value) {
        server().stubFor(post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(TARGET))
                .withRequestBody(matchingJsonPath("$.SecretId", equalTo(SECRET_ARN)))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/x-amz-json-1.1")
                        .withBody("""
                                {"ARN":"%s","Name":"verifik/token","SecretString":"%s",
                                 "VersionId":"%s","VersionStages":["AWSCURRENT"],"CreatedDate":1.7e9}"""
                                .formatted(SECRET_ARN, value, java.util.UUID.randomUUID()))));
    }

    /** Every GetSecretValue from now on fails as Secrets Manager does for a missing secret. */
    public static void missing() {
        server().stubFor(post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(TARGET))
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/x-amz-json-1.1")
                        .withBody("{\"__type\":\"ResourceNotFoundException\",\"Message\":\"Secrets Manager can't find the specified secret.\"}")));
    }

    /** GetSecretValue calls received since the last reset. */
    public static int reads() {
        return server().findAll(postRequestedFor(urlEqualTo("/"))
                .withHeader("X-Amz-Target", WireMock.equalTo(TARGET))).size();
    }

    @Override
    public Map<String, String> start() {
        // The SDK's default chains find the region and a (dummy) identity here; the signature is not checked.
        System.setProperty("aws.region", "us-east-1");
        System.setProperty("aws.accessKeyId", "test");
        System.setProperty("aws.secretAccessKey", "test");
        return Map.of("crop-search.secrets.verifik-token-secret", SECRET_ARN,
                "crop-search.secrets.endpoint-override", endpoint());
    }

    @Override
    public void stop() {
        // Shared across test classes in this JVM; the JVM's exit stops it.
    }
}
