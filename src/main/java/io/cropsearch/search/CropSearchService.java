package io.cropsearch.search;

import io.cropsearch.errors.ApiException;
import io.cropsearch.model.SearchStatus;
import io.cropsearch.observability.SearchMetrics;
import io.cropsearch.records.HttpSearchRecorder;
import io.cropsearch.records.RecordFactory;
import io.cropsearch.validation.CropSearchValidator;
import io.cropsearch.validation.ValidatedSearch;
import jakarta.enterprise.context.ApplicationScoped;

/** The data path shared by every way in: validate, bound the time, search, measure, record. */
@ApplicationScoped
public class CropSearchService {
    /** The error code of a FAILED record whose cause no rule foresaw (the exception's class is logged). */
    public static final String UNEXPECTED_ERROR = "UnexpectedError";

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
            if (!callerUnauthenticated(failure)) {
                recorder.failed(search, failure, bearerToken, started);
            }
            throw failure;
        } catch (ApiException rejected) {
            metrics.searched("api", RecordFactory.statusFor(rejected), millisSince(started), 0, 0);
            recorder.failed(search, rejected, bearerToken, started);
            throw rejected;
        } catch (RuntimeException unexpected) {
            // A bug, a gallery table down: the caller gets the usual 500, and the search still leaves its metric and
            // its FAILED record, like every search that got this far.
            ApiException failure = unexpectedFailure(unexpected);
            metrics.searched("api", SearchStatus.FAILED, millisSince(started), 0, 0);
            recorder.failed(search, failure, bearerToken, started);
            throw unexpected;
        }
    }

    /**
     * The upstream did not know the caller's token (401): the request was unauthenticated, like one without a bearer
     * token, which never reaches this service. Neither leaves a record, so that anonymous callers cannot fill the
     * table; the metric still counts them (REJECTED).
     */
    private static boolean callerUnauthenticated(SearchFailure failure) {
        return failure.status() == 401 && !failure.isTransient();
    }

    /**
     * How an unexpected exception is recorded: the class name only, since messages of unexpected failures may carry
     * request data.
     */
    public static ApiException unexpectedFailure(RuntimeException e) {
        return new ApiException(500, UNEXPECTED_ERROR, "unexpected " + e.getClass().getSimpleName());
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
