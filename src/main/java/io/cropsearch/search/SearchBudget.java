package io.cropsearch.search;

import io.cropsearch.config.CropSearchConfig;
import io.cropsearch.model.SearchMode;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;

/**
 * How long a search may take: its mode's budget, cut to the Lambda invocation's remaining time minus a safety margin,
 * so that the function still answers and records the outcome before Lambda kills it.
 */
@ApplicationScoped
public class SearchBudget {
    private final CropSearchConfig.Upstream config;

    public SearchBudget(CropSearchConfig config) {
        this.config = config.upstream();
    }

    /**
     * @param lambdaRemainingMillis what the Lambda context reports, or a negative number outside Lambda (and in the
     *                              local mock event server, which sets no deadline)
     */
    public Deadline deadlineFor(SearchMode mode, long lambdaRemainingMillis) {
        Duration budget = mode == SearchMode.ACCURATE ? config.accurateBudget() : config.fastBudget();
        Deadline byMode = Deadline.after(budget);
        if (lambdaRemainingMillis <= 0) {
            return byMode;
        }
        Duration lambdaLeft = Duration.ofMillis(lambdaRemainingMillis).minus(config.safetyMargin());
        return byMode.earlierOf(Deadline.after(lambdaLeft.isNegative() ? Duration.ZERO : lambdaLeft));
    }
}
