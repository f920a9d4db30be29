package io.cropsearch.http;

import io.cropsearch.config.CropSearchConfig;
import io.cropsearch.model.SearchMode;
import io.cropsearch.search.SearchBudget;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The search's deadline: its mode's budget, never past the Lambda invocation's remaining time minus the margin. */
@QuarkusTest
class SearchBudgetTest {
    @Inject
    SearchBudget budget;
    @Inject
    CropSearchConfig config;

    @Test
    void fastIsShorterThanAccurate() {
        long fast = budget.deadlineFor(SearchMode.FAST, -1).remaining().toMillis();
        long accurate = budget.deadlineFor(SearchMode.ACCURATE, -1).remaining().toMillis();
        assertTrue(fast < accurate, fast + " vs " + accurate);
        assertTrue(fast <= config.upstream().fastBudget().toMillis());
    }

    @Test
    void lambdaRemainingTimeCutsTheBudget() {
        long margin = config.upstream().safetyMargin().toMillis();
        long left = budget.deadlineFor(SearchMode.ACCURATE, margin + 300).remaining().toMillis();
        assertTrue(left <= 300 && left > 200, "left " + left);
    }

    @Test
    void aNearlyExpiredInvocationLeavesNoBudget() {
        long margin = config.upstream().safetyMargin().toMillis();
        assertTrue(budget.deadlineFor(SearchMode.FAST, margin / 2).remaining().isZero());
    }
}
