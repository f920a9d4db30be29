package io.cropsearch.search;

import io.cropsearch.errors.ApiException;
import io.cropsearch.model.SearchStatus;
import io.cropsearch.observability.SearchMetrics;
import io.cropsearch.records.HttpSearchRecorder;
import io.cropsearch.validation.CropSearchValidator;
import io.cropsearch.validation.ValidatedSearch;
import jakarta.enterprise.context.ApplicationScoped;

/** The data path shared by every way in: validate, bound the time, search, measure, record. */
@ApplicationScoped
public class CropSearchService {
    private final CropSearchValidator validator;
    private final SearchBudget budget;
    private final SearchBackend backend;
    private final SearchMetrics metrics;
    private final HttpSearchRecorder recorder;

    public CropSearchService(CropSearchValidator validator, SearchBudget budget, SearchBackend backend,
                             SearchMetrics metrics, HttpSearchRecorder recorder) {
        this.validator = validator;
        this.budget = budget;
        this.backend = backend;
        this.metrics = metrics;
        this.recorder = recorder;
    }

    public SearchResult searchHttp(byte[] body, String bearerToken, long lambdaRemainingMillis) {
        long started = System.nanoTime();
        ValidatedSearch search = null;
        try {
            search = validator.validateJson(body);
            SearchResult result = backend.search(search, bearerToken,
                    budget.deadlineFor(search.searchMode(), lambdaRemainingMillis));
            int matches = result.body().path("data").size();
            metrics.searched("api", matches > 0 ? SearchStatus.MATCHED : SearchStatus.NO_MATCH, millisSince(started),
                    matches, result.attempts());
            // Recording never throws and waits at most crop-search.records.http-wait.
            recorder.searched(search, result, started);
            return result;
        } catch (SearchFailure failure) {
            metrics.searched("api", statusOf(failure), millisSince(started), 0, failure.attempts());
            recorder.failed(search, failure, bearerToken, started);
            throw failure;
        } catch (ApiException rejected) {
            metrics.searched("api", SearchStatus.REJECTED, millisSince(started), 0, 0);
            recorder.failed(search, rejected, bearerToken, started);
            throw rejected;
        }
    }

    /**
     * An upstream refusal of the input (401, 403, 409) is final like our own validation; the rest failed. Result
     * records use the same rule.
     */
    public static SearchStatus statusOf(SearchFailure failure) {
        return failure.status() >= 400 && failure.status() < 500 && failure.status() != 429 && !failure.isTransient()
                ? SearchStatus.REJECTED : SearchStatus.FAILED;
    }

    private static long millisSince(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }
}
