package io.cropsearch.observability;

import org.jboss.logging.MDC;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Puts the Lambda request id and a correlation id into the logging MDC, so that every log line written during an
 * invocation carries both (the JSON log format prints the MDC).
 */
public final class InvocationIds {
    public static final String REQUEST_ID = "requestId";
    public static final String CORRELATION_ID = "correlationId";
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,100}");

    private InvocationIds() {
    }

    /**
     * @param lambdaRequestId      the Lambda invocation's request id, or null outside Lambda
     * @param proposedCorrelation  a caller's correlation id (header) or an upstream id; used only when it is safe to log
     */
    public static void begin(String lambdaRequestId, String proposedCorrelation) {
        String requestId = lambdaRequestId != null && SAFE_ID.matcher(lambdaRequestId).matches()
                ? lambdaRequestId : "local-" + UUID.randomUUID();
        String correlation = proposedCorrelation != null && SAFE_ID.matcher(proposedCorrelation).matches()
                ? proposedCorrelation : requestId;
        MDC.put(REQUEST_ID, requestId);
        MDC.put(CORRELATION_ID, correlation);
    }

    public static String requestId() {
        Object id = MDC.get(REQUEST_ID);
        return id == null ? null : id.toString();
    }

    public static String correlationId() {
        Object id = MDC.get(CORRELATION_ID);
        return id == null ? null : id.toString();
    }

    public static void end() {
        MDC.remove(REQUEST_ID);
        MDC.remove(CORRELATION_ID);
    }
}
