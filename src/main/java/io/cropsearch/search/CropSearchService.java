package io.cropsearch.search;

import io.cropsearch.errors.ApiException;
import io.cropsearch.records.HttpSearchRecorder;
import io.cropsearch.validation.CropSearchValidator;
import io.cropsearch.validation.ValidatedSearch;
import jakarta.enterprise.context.ApplicationScoped;

/** The data path shared by every way in: validate, bound the time, search. */
@ApplicationScoped
public class CropSearchService {
    private final CropSearchValidator validator;
    private final SearchBudget budget;
    private final SearchBackend backend;
    private final HttpSearchRecorder recorder;

    public CropSearchService(CropSearchValidator validator, SearchBudget budget, SearchBackend backend,
                             HttpSearchRecorder recorder) {
        this.validator = validator;
        this.budget = budget;
        this.backend = backend;
        this.recorder = recorder;
    }

    public SearchResult searchHttp(byte[] body, String bearerToken, long lambdaRemainingMillis) {
        long started = System.nanoTime();
        ValidatedSearch search = null;
        try {
            search = validator.validateJson(body);
            SearchResult result = backend.search(search, bearerToken,
                    budget.deadlineFor(search.searchMode(), lambdaRemainingMillis));
            recorder.searched(search, result, started);
            return result;
        } catch (ApiException e) {
            // Recording never throws and waits at most crop-search.records.http-wait.
            recorder.failed(search, e, started);
            throw e;
        }
    }
}
