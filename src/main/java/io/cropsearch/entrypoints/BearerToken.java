package io.cropsearch.entrypoints;

import io.cropsearch.errors.ApiException;
import io.cropsearch.errors.ErrorCode;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the caller's bearer token (RFC 6750), which is forwarded upstream and never kept or logged. */
final class BearerToken {
    private static final Pattern BEARER = Pattern.compile("(?i)^Bearer +([A-Za-z0-9\\-._~+/]+=*)\\s*$");

    private BearerToken() {
    }

    static String from(String authorizationHeader) {
        if (authorizationHeader != null) {
            Matcher m = BEARER.matcher(authorizationHeader);
            if (m.matches()) {
                return m.group(1);
            }
        }
        throw new ApiException(401, ErrorCode.UNAUTHORIZED, "Authentication required");
    }
}
