package io.cropsearch.search;

import io.cropsearch.errors.ApiException;
import io.cropsearch.model.ApiEndpoint;
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

    /**
     * What differs between the ways in (HTTP, S3): how the request becomes a search, whose token it uses, how a failure
     * is judged and how the outcome is recorded. The sequence itself, and its metric, is {@link #search}'s alone.
     */
    public interface Way<T> {
        /** The metric's {@code Source} dimension: {@code api} or {@code s3}. */
        String source();

        /**
         * The metric's {@code Endpoint} dimension. Asked after {@link #validate} (whether it passed or not), so that a
         * way that learns the endpoint from its input (an S3 upload: crop or photo) can say it.
         */
        default ApiEndpoint endpoint() {
            return ApiEndpoint.SEARCH_CROPS;
        }

        /** Throws the {@link ApiException} of a refusal. */
        ValidatedSearch validate(CropSearchValidator validator);

        /** The caller's bearer token, or {@code ""} for the function's own (see the Verifik backend). */
        String bearerToken();

        /**
         * The failure as it is measured and recorded; the S3 path turns whatever is not a refusal of the input into a
         * transient failure, so that the upload is delivered again.
         */
        default ApiException judged(ApiException error) {
            return error;
        }

        /** Records an answered search (already measured). */
        T searched(ValidatedSearch search, SearchResult result, long startedNanos);

        /**
         * Records a search without an answer (already measured).
         *
         * @param judged       the failure after {@link #judged}; {@link #unexpectedFailure} for an unforeseen one
         * @param cause        what was thrown, for a way that hands it on to its caller
         * @param searchOrNull null when validation refused the input
         */
        T failed(ValidatedSearch searchOrNull, ApiException judged, RuntimeException cause, long startedNanos);
    }

    /**
     * Validate, bound the time, search, measure, record: every way in goes through here, so that every search that
     * reaches the service leaves a metric and (as the way records it) a record, unexpected failures included.
     *
     * @param startedNanos when the way in began handling the request (the S3 path counts reading the object too)
     */
    public <T> T search(Way<T> way, long startedNanos, long lambdaRemainingMillis) {
        ValidatedSearch search = null;
        SearchResult result;
        try {
            search = way.validate(validator);
            result = backend.search(search, way.bearerToken(),
                    budget.deadlineFor(search.searchMode(), lambdaRemainingMillis));
        } catch (ApiException refused) {
            ApiException judged = way.judged(refused);
            metrics.searched(way.endpoint().label, way.source(), RecordFactory.statusFor(judged),
                    millisSince(startedNanos), 0,
                    judged instanceof SearchFailure failure ? failure.attempts() : 0);
            return way.failed(search, judged, refused, startedNanos);
        } catch (RuntimeException unexpected) {
            // A bug, a gallery table down: the search still leaves its metric and its FAILED record, like every search
            // that got this far.
            metrics.searched(way.endpoint().label, way.source(), SearchStatus.FAILED, millisSince(startedNanos), 0, 0);
            return way.failed(search, way.judged(unexpectedFailure(unexpected)), unexpected, startedNanos);
        }
        int matches = result.body().path("data").size();
        metrics.searched(way.endpoint().label, way.source(), matches > 0 ? SearchStatus.MATCHED : SearchStatus.NO_MATCH,
                millisSince(startedNanos), matches, result.attempts());
        return way.searched(search, result, startedNanos);
    }

    /** The HTTP way in (Quarkus REST and the direct API Gateway route): failures reach the caller as thrown. */
    public SearchResult searchHttp(byte[] body, String bearerToken, long lambdaRemainingMillis) {
        return searchHttp(ApiEndpoint.SEARCH_CROPS, body, bearerToken, lambdaRemainingMillis);
    }

    /** The HTTP way in of {@code endpoint}: {@code /search/crops} or {@code /search}. */
    public SearchResult searchHttp(ApiEndpoint endpoint, byte[] body, String bearerToken, long lambdaRemainingMillis) {
        return search(new Way<SearchResult>() {
            @Override
            public String source() {
                return "api";
            }

            @Override
            public ApiEndpoint endpoint() {
                return endpoint;
            }

            @Override
            public ValidatedSearch validate(CropSearchValidator validator) {
                return validator.validateJson(body, endpoint);
            }

            @Override
            public String bearerToken() {
                return bearerToken;
            }

            @Override
            public SearchResult searched(ValidatedSearch search, SearchResult result, long startedNanos) {
                // Recording never throws and waits at most crop-search.records.http-wait.
                recorder.searched(search, result, startedNanos);
                return result;
            }

            @Override
            public SearchResult failed(ValidatedSearch searchOrNull, ApiException judged, RuntimeException cause,
                                       long startedNanos) {
                if (!(cause instanceof SearchFailure failure && callerUnauthenticated(failure))) {
                    recorder.failed(endpoint, searchOrNull, judged, bearerToken, startedNanos);
                }
                throw cause;
            }
        }, System.nanoTime(), lambdaRemainingMillis);
    }

    /**
     * The upstream did not know the caller's token (401): the request was unauthenticated, like one without a bearer
     * token, which never reaches this service. Neither leaves a record, so that anonymous callers cannot fill the
     * table; the metric still counts them (REJECTED).
     */
    public static boolean callerUnauthenticated(SearchFailure failure) {
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
