package io.cropsearch.match;

import com.fasterxml.jackson.databind.JsonNode;
import io.cropsearch.errors.ApiException;
import io.cropsearch.model.SearchStatus;
import io.cropsearch.observability.SearchMetrics;
import io.cropsearch.records.HttpSearchRecorder;
import io.cropsearch.records.RecordFactory;
import io.cropsearch.search.CropSearchService;
import io.cropsearch.search.SearchBudget;
import io.cropsearch.search.SearchFailure;
import io.cropsearch.search.SearchResult;
import io.cropsearch.validation.FaceMatchValidator;
import io.cropsearch.validation.ValidatedCompare;
import io.cropsearch.validation.ValidatedVerify;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The data path of the 1:1 endpoints, the same sequence as a crop search's ({@link CropSearchService}): validate
 * (every bad input refused before any backend call), bound the time by the mode's budget, call the backend, measure
 * (one EMF line, {@code Endpoint} {@value #VERIFY} or {@value #COMPARE}) and, for verify, record. Failures reach the
 * caller as thrown.
 */
@ApplicationScoped
public class FaceMatchService {
    public static final String VERIFY = "verify";
    public static final String COMPARE = "compare";
    private static final String SOURCE = "api";

    private final FaceMatchValidator validator;
    private final SearchBudget budget;
    private final MatchBackend backend;
    private final SearchMetrics metrics;
    private final HttpSearchRecorder recorder;

    public FaceMatchService(FaceMatchValidator validator, SearchBudget budget, MatchBackend backend,
                            SearchMetrics metrics, HttpSearchRecorder recorder) {
        this.validator = validator;
        this.budget = budget;
        this.backend = backend;
        this.metrics = metrics;
        this.recorder = recorder;
    }

    /**
     * A verify is a 1:1 search: MATCHED when {@code data.match} is an object, else NO_MATCH; it leaves a result record
     * like a search (none for a caller the upstream did not know, as for searches).
     */
    public SearchResult verify(byte[] body, String bearerToken, long lambdaRemainingMillis) {
        long started = System.nanoTime();
        ValidatedVerify request = null;
        SearchResult result;
        try {
            request = validator.validateVerify(body);
            result = backend.verify(request, bearerToken,
                    budget.deadlineFor(request.searchMode(), lambdaRemainingMillis));
        } catch (ApiException refused) {
            metrics.searched(VERIFY, SOURCE, RecordFactory.statusFor(refused), millisSince(started), 0,
                    attemptsOf(refused));
            if (!(refused instanceof SearchFailure failure && CropSearchService.callerUnauthenticated(failure))) {
                recorder.verifyFailed(request, refused, bearerToken, started);
            }
            throw refused;
        } catch (RuntimeException unexpected) {
            metrics.searched(VERIFY, SOURCE, SearchStatus.FAILED, millisSince(started), 0, 0);
            recorder.verifyFailed(request, CropSearchService.unexpectedFailure(unexpected), bearerToken, started);
            throw unexpected;
        }
        boolean matched = result.body().path("data").path("match").isObject();
        metrics.searched(VERIFY, SOURCE, matched ? SearchStatus.MATCHED : SearchStatus.NO_MATCH, millisSince(started),
                matched ? 1 : 0, result.attempts());
        recorder.verified(request, result, started);
        return result;
    }

    /**
     * A compare leaves its metric but no record (it names no enrolled person to record a match for): MATCHED when
     * the answer says {@code passed: true} (at {@code data.passed}, or {@code data.result.passed} as some Verifik
     * deployments answer), else NO_MATCH, which includes every compare without a {@code compare_min_score}.
     */
    public SearchResult compare(byte[] body, String bearerToken, long lambdaRemainingMillis) {
        long started = System.nanoTime();
        SearchResult result;
        try {
            ValidatedCompare request = validator.validateCompare(body);
            result = backend.compare(request, bearerToken,
                    budget.deadlineFor(request.searchMode(), lambdaRemainingMillis));
        } catch (ApiException refused) {
            metrics.searched(COMPARE, SOURCE, RecordFactory.statusFor(refused), millisSince(started), 0,
                    attemptsOf(refused));
            throw refused;
        } catch (RuntimeException unexpected) {
            metrics.searched(COMPARE, SOURCE, SearchStatus.FAILED, millisSince(started), 0, 0);
            throw unexpected;
        }
        JsonNode data = result.body().path("data");
        boolean passed = data.path("passed").asBoolean(false) || data.path("result").path("passed").asBoolean(false);
        metrics.searched(COMPARE, SOURCE, passed ? SearchStatus.MATCHED : SearchStatus.NO_MATCH, millisSince(started),
                passed ? 1 : 0, result.attempts());
        return result;
    }

    private static int attemptsOf(ApiException error) {
        return error instanceof SearchFailure failure ? failure.attempts() : 0;
    }

    private static long millisSince(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }
}
