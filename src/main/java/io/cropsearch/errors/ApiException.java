package io.cropsearch.errors;

import java.util.Optional;

/**
 * A failure that ends a request with the contract's {@code {"message", "code"}} body. Thrown anywhere on the request
 * path; {@link ErrorResponses} is the only place that shapes its response.
 */
public class ApiException extends RuntimeException {
    private final int status;
    private final String code;
    private final Long retryAfterSeconds;
    private final String rawBody;

    public ApiException(int status, String code, String message) {
        this(status, code, message, null, null);
    }

    protected ApiException(int status, String code, String message, Long retryAfterSeconds, String rawBody) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.retryAfterSeconds = retryAfterSeconds;
        this.rawBody = rawBody;
    }

    public static ApiException missing(String message) {
        return new ApiException(409, ErrorCode.MISSING_PARAMETER, message);
    }

    public static ApiException invalid(String message) {
        return new ApiException(409, ErrorCode.INVALID_PARAMETER, message);
    }

    public static ApiException withRetryAfter(int status, String code, String message, long retryAfterSeconds) {
        return new ApiException(status, code, message, Math.max(1, retryAfterSeconds), null);
    }

    /** An upstream error answer (401, 403, 409) that reaches the caller with the upstream's own status and body. */
    public static ApiException passThrough(int status, String code, String message, String rawBody) {
        return new ApiException(status, code, message, null, rawBody);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public Optional<Long> retryAfterSeconds() {
        return Optional.ofNullable(retryAfterSeconds);
    }

    public Optional<String> rawBody() {
        return Optional.ofNullable(rawBody);
    }
}
