package io.cropsearch.entrypoints;

import com.amazonaws.services.lambda.runtime.Context;
import jakarta.enterprise.inject.Instance;

/** What the Lambda invocation has left, for the search budget. */
final class RemainingTime {
    private RemainingTime() {
    }

    /** The context's remaining time, or -1 outside a Lambda invocation (no context: the mode's budget alone then applies). */
    static long millis(Instance<Context> lambdaContext) {
        try {
            Context context = lambdaContext.get();
            return context == null ? -1 : context.getRemainingTimeInMillis();
        } catch (RuntimeException e) {
            return -1;
        }
    }
}
