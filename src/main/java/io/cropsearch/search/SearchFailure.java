package io.cropsearch.search;

import io.cropsearch.errors.ApiException;

/**
 * A search that did not produce a result. {@link #isTransient()} tells whether trying again later may succeed (upstream
 * down, slow, throttling, circuit open); the S3 path fails the invocation for those so that Lambda retries it.
 */
public class SearchFailure extends ApiException {
    private final boolean transientFailure;
    private final int attempts;

    public SearchFailure(int status, String code, String message, Long retryAfterSeconds, String rawBody,
                         boolean transientFailure, int attempts) {
        super(status, code, message, retryAfterSeconds, rawBody);
        this.transientFailure = transientFailure;
        this.attempts = attempts;
    }

    public boolean isTransient() {
        return transientFailure;
    }

    public int attempts() {
        return attempts;
    }
}
