package io.cropsearch.search.verifik;

import io.cropsearch.config.CropSearchConfig;
import io.smallrye.faulttolerance.api.CustomBackoffStrategy;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter that honours an upstream Retry-After. SmallRye creates one per guarded call, so the
 * retry counter is per search.
 */
final class RetryBackoff implements CustomBackoffStrategy {
    private final CropSearchConfig.Upstream.Retry config;
    private int retries;

    RetryBackoff(CropSearchConfig.Upstream.Retry config) {
        this.config = config;
    }

    @Override
    public long nextDelayInMillis(Throwable cause) {
        long base = config.initialDelay().toMillis() << Math.min(retries++, 20);
        long delay = Math.min(base, config.maxDelay().toMillis());
        long jitter = config.jitter().toMillis();
        if (jitter > 0) {
            delay += ThreadLocalRandom.current().nextLong(jitter);
        }
        if (cause instanceof AttemptFailure.Transient t) {
            delay = Math.max(delay, t.retryAfterMillis);
            // Sleeping past the deadline helps no one: the next attempt then finds the budget spent and ends the search.
            delay = Math.min(delay, t.deadline.remaining().toMillis());
        }
        return delay;
    }
}
