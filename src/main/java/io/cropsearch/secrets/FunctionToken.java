package io.cropsearch.secrets;

import io.cropsearch.config.CropSearchConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The one place that knows the function's own Verifik token (used for searches the function starts itself: S3
 * uploads). On AWS it is read at run time from Secrets Manager ({@code VERIFIK_TOKEN_SECRET}), so that it never sits
 * in the function's configuration and a rotation needs no redeploy: the value is cached for
 * {@code crop-search.secrets.ttl} and read again early once the upstream refuses it with a 401. Without a secret id
 * the {@code VERIFIK_TOKEN} variable is used as it is (local runs). The value is never logged.
 */
@ApplicationScoped
public class FunctionToken {
    private static final Logger LOG = Logger.getLogger(FunctionToken.class);

    private final Optional<String> secretId;
    private final Optional<String> fromEnvironment;
    private final long ttlNanos;
    private final long minRereadNanos;
    private final SecretReader reader;
    private final LongSupplier nanoClock;

    private String cached;
    private long readAt;

    @Inject
    public FunctionToken(CropSearchConfig config, SecretsManagerReader reader) {
        this(config.secrets().verifikTokenSecret().map(String::strip).filter(s -> !s.isEmpty()),
                config.verifikToken().filter(s -> !s.isBlank()), config.secrets().ttl(),
                config.secrets().minRereadInterval(), reader, System::nanoTime);
    }

    public FunctionToken(Optional<String> secretId, Optional<String> fromEnvironment, Duration ttl,
                         Duration minRereadInterval, SecretReader reader, LongSupplier nanoClock) {
        this.secretId = secretId;
        this.fromEnvironment = fromEnvironment;
        this.ttlNanos = ttl.toNanos();
        this.minRereadNanos = minRereadInterval.toNanos();
        this.reader = reader;
        this.nanoClock = nanoClock;
        if (secretId.isPresent() && fromEnvironment.isPresent()) {
            LOG.warnf("both VERIFIK_TOKEN_SECRET (%s) and VERIFIK_TOKEN are set: the secret is used", secretId.get());
        }
    }

    /** True when the token comes from Secrets Manager (and may change while the function runs). */
    public boolean fromSecret() {
        return secretId.isPresent();
    }

    /**
     * The token to use now: the cached secret value while younger than the TTL, else freshly read. A failed re-read
     * keeps the last value (a Secrets Manager hiccup must not stop searches that would succeed).
     *
     * @throws SecretUnavailableException when the secret has never been read and cannot be read now
     */
    public Optional<String> current() {
        if (secretId.isEmpty()) {
            return fromEnvironment;
        }
        synchronized (this) {
            if (cached == null || nanoClock.getAsLong() - readAt >= ttlNanos) {
                refresh();
            }
            return Optional.of(cached);
        }
    }

    /**
     * The upstream refused {@code rejected} with a 401: read the secret again, once, in case it was rotated. Returns
     * a different token to retry with, or empty when there is none (no secret, the same value, read again too
     * recently, or unreadable).
     */
    public Optional<String> afterRejection(String rejected) {
        if (secretId.isEmpty()) {
            return Optional.empty();
        }
        synchronized (this) {
            if (cached != null && !sameToken(cached, rejected)) {
                // Another search re-read it meanwhile.
                return Optional.of(cached);
            }
            if (cached != null && nanoClock.getAsLong() - readAt < minRereadNanos) {
                return Optional.empty();
            }
            try {
                refresh();
            } catch (SecretUnavailableException e) {
                return Optional.empty();
            }
            return sameToken(cached, rejected) ? Optional.empty() : Optional.of(cached);
        }
    }

    /** Whether {@code token} is the function's own (compared in constant time: a caller's token is a secret too). */
    public boolean isOwn(String token) {
        if (token == null || token.isEmpty()) {
            return false;
        }
        String own;
        synchronized (this) {
            own = secretId.isPresent() ? cached : fromEnvironment.orElse(null);
        }
        return own != null && sameToken(own, token);
    }

    private void refresh() {
        String id = secretId.orElseThrow();
        try {
            String value = reader.read(id);
            boolean changed = cached != null && !sameToken(cached, value);
            cached = value;
            readAt = nanoClock.getAsLong();
            LOG.infof("Verifik token read from secret %s%s", id, changed ? " (a new value)" : "");
        } catch (SecretUnavailableException e) {
            if (cached == null) {
                throw e;
            }
            // Keep the last value, and try again after the minimum interval rather than on every search.
            readAt = nanoClock.getAsLong() - ttlNanos + minRereadNanos;
            LOG.warnf("keeping the cached Verifik token: %s", e.getMessage());
        }
    }

    static boolean sameToken(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
