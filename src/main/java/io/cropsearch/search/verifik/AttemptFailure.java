package io.cropsearch.search.verifik;

import io.cropsearch.search.Deadline;

/**
 * How one upstream attempt failed. The subclasses decide retrying and the circuit breaker:
 * only {@link Transient} is retried; {@link Transient} and {@link Fault} count against the circuit.
 */
abstract class AttemptFailure extends RuntimeException {
    final int status;

    AttemptFailure(String reason, int status) {
        super(reason, null, false, false);
        this.status = status;
    }

    /** Connect errors, timeouts, 429, 502, 503, 504: worth another attempt. */
    static final class Transient extends AttemptFailure {
        final long retryAfterMillis;
        final Deadline deadline;

        Transient(String reason, int status, long retryAfterMillis, Deadline deadline) {
            super(reason, status);
            this.retryAfterMillis = retryAfterMillis;
            this.deadline = deadline;
        }

        boolean isTimeout() {
            return status == 0 && getMessage().contains("timed out");
        }
    }

    /** The upstream is broken in a way another attempt will not fix right away: 500, unreadable JSON. */
    static final class Fault extends AttemptFailure {
        Fault(String reason, int status) {
            super(reason, status);
        }
    }

    /** The upstream refused this request (4xx): final, and says nothing about the upstream's health. */
    static final class Rejection extends AttemptFailure {
        final String body;

        Rejection(int status, String body) {
            super("upstream rejected the request", status);
            this.body = body;
        }
    }

    /** 429 with a Retry-After longer than the search can wait. */
    static final class Throttled extends AttemptFailure {
        final long retryAfterMillis;

        Throttled(long retryAfterMillis) {
            super("upstream throttled", 429);
            this.retryAfterMillis = retryAfterMillis;
        }
    }

    /** No time left in the search's budget for another attempt. */
    static final class BudgetExhausted extends AttemptFailure {
        BudgetExhausted() {
            super("search budget exhausted", 0);
        }
    }
}
