package io.cropsearch.secrets;

import io.cropsearch.testing.SecretsManagerStub;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The function's own token read through the real SDK client from a server speaking the Secrets Manager API: cached for
 * the TTL, read again after it, read again early (once) after an upstream 401, the environment variable without a
 * secret. Time is a hand-moved clock, so the TTL is exact and the test does not sleep.
 */
class FunctionTokenTest {
    static final Duration TTL = Duration.ofMinutes(5);
    static final Duration MIN_REREAD = Duration.ofSeconds(5);

    final AtomicLong now = new AtomicLong(1_000_000_000L);
    final SecretReader reader = new SecretsManagerReader(() -> SecretsManagerClient.builder()
            .httpClient(UrlConnectionHttpClient.create())
            .endpointOverride(URI.create(SecretsManagerStub.endpoint()))
            .region(Region.US_EAST_1)
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
            .build());

    @BeforeEach
    void reset() {
        SecretsManagerStub.server().resetAll();
    }

    FunctionToken fromSecret() {
        return new FunctionToken(Optional.of(SecretsManagerStub.SECRET_ARN), Optional.empty(), TTL, MIN_REREAD, reader,
                now::get);
    }

    void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }

    @Test
    void readsTheSecretOnceThenServesTheCacheUntilTheTtlEnds() {
        SecretsManagerStub.holds("token-v1");
        FunctionToken token = fromSecret();
        assertEquals(0, SecretsManagerStub.reads(), "nothing is read before the first search needs it");

        assertEquals(Optional.of("token-v1"), token.current());
        SecretsManagerStub.server().verify(1, postRequestedFor(urlEqualTo("/"))
                .withHeader("X-Amz-Target", equalTo("secretsmanager.GetSecretValue"))
                .withHeader("Content-Type", equalTo("application/x-amz-json-1.1"))
                .withRequestBody(matchingJsonPath("$.SecretId", equalTo(SecretsManagerStub.SECRET_ARN))));

        SecretsManagerStub.holds("token-v2");
        advance(TTL.minusSeconds(1));
        assertEquals(Optional.of("token-v1"), token.current(), "within the TTL the cached value serves");
        assertEquals(1, SecretsManagerStub.reads());

        advance(Duration.ofSeconds(1));
        assertEquals(Optional.of("token-v2"), token.current(), "after the TTL the rotated value is read");
        assertEquals(2, SecretsManagerStub.reads());
    }

    @Test
    void anUpstream401ReadsTheSecretAgainOnceAndOffersTheRotatedValue() {
        SecretsManagerStub.holds("token-v1");
        FunctionToken token = fromSecret();
        assertEquals(Optional.of("token-v1"), token.current());
        advance(MIN_REREAD);

        SecretsManagerStub.holds("token-v2");
        assertEquals(Optional.of("token-v2"), token.afterRejection("token-v1"), "well before the TTL ends");
        assertEquals(2, SecretsManagerStub.reads());
        assertEquals(Optional.of("token-v2"), token.current());
        assertEquals(Optional.of("token-v2"), token.afterRejection("token-v1"),
                "a second search refused with the old value takes the new one without another read");
        assertEquals(2, SecretsManagerStub.reads());
    }

    @Test
    void aTokenTheSecretStillHoldsIsNotRetriedAndRereadsAreSpacedOut() {
        SecretsManagerStub.holds("token-v1");
        FunctionToken token = fromSecret();
        assertEquals(Optional.of("token-v1"), token.current());

        assertEquals(Optional.empty(), token.afterRejection("token-v1"), "read just now: no second read yet");
        assertEquals(1, SecretsManagerStub.reads());

        advance(MIN_REREAD);
        assertEquals(Optional.empty(), token.afterRejection("token-v1"), "the secret still holds the refused value");
        assertEquals(2, SecretsManagerStub.reads());
        assertEquals(Optional.empty(), token.afterRejection("token-v1"));
        assertEquals(2, SecretsManagerStub.reads(), "a refused token does not turn every search into a read");
    }

    @Test
    void anUnreadableSecretFailsWithoutAValueAndAFailedRefreshKeepsTheLastOne() {
        SecretsManagerStub.missing();
        FunctionToken token = fromSecret();
        SecretUnavailableException e = assertThrows(SecretUnavailableException.class, token::current);
        assertTrue(e.getMessage().contains("ResourceNotFoundException"), e.getMessage());
        assertTrue(e.getMessage().contains(SecretsManagerStub.SECRET_ARN), "names the secret: " + e.getMessage());

        SecretsManagerStub.server().resetAll();
        SecretsManagerStub.holds("token-v1");
        assertEquals(Optional.of("token-v1"), token.current());
        SecretsManagerStub.server().resetAll();
        SecretsManagerStub.missing();
        advance(TTL);
        assertEquals(Optional.of("token-v1"), token.current(), "an outage of Secrets Manager does not stop searches");
        assertEquals(1, SecretsManagerStub.reads());
        assertEquals(Optional.of("token-v1"), token.current(), "and is not asked again on every search");
        assertEquals(1, SecretsManagerStub.reads());
    }

    @Test
    void withoutASecretTheEnvironmentVariableServesAndNothingIsRead() {
        FunctionToken token = new FunctionToken(Optional.empty(), Optional.of("local-token"), TTL, MIN_REREAD, reader,
                now::get);
        assertEquals(Optional.of("local-token"), token.current());
        assertEquals(Optional.empty(), token.afterRejection("local-token"));
        assertTrue(token.isOwn("local-token"));
        assertFalse(token.isOwn("a-callers-token"));
        assertFalse(token.fromSecret());
        assertEquals(0, SecretsManagerStub.reads());
    }

    @Test
    void aTrailingNewlineFromTheConsoleIsNotPartOfTheToken() {
        SecretsManagerStub.holds("token-v1\\n");
        assertEquals(Optional.of("token-v1"), fromSecret().current());
    }
}
