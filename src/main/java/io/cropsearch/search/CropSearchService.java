package io.cropsearch.search;

import io.cropsearch.validation.CropSearchValidator;
import io.cropsearch.validation.ValidatedSearch;
import jakarta.enterprise.context.ApplicationScoped;

/** The data path shared by every way in: validate, bound the time, search. */
@ApplicationScoped
public class CropSearchService {
    private final CropSearchValidator validator;
    private final SearchBudget budget;
    private final SearchBackend backend;

    public CropSearchService(CropSearchValidator validator, SearchBudget budget, SearchBackend backend) {
        this.validator = validator;
        this.budget = budget;
        this.backend = backend;
    }

    public SearchResult searchHttp(byte[] body, String bearerToken, long lambdaRemainingMillis) {
        ValidatedSearch search = validator.validateJson(body);
        return backend.search(search, bearerToken, budget.deadlineFor(search.searchMode(), lambdaRemainingMillis));
    }
}
