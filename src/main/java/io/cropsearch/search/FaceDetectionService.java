package io.cropsearch.search;

import io.cropsearch.errors.ApiException;
import io.cropsearch.model.ApiEndpoint;
import io.cropsearch.model.SearchMode;
import io.cropsearch.model.SearchStatus;
import io.cropsearch.observability.SearchMetrics;
import io.cropsearch.records.RecordFactory;
import io.cropsearch.validation.CropSearchValidator;
import io.cropsearch.validation.ValidatedDetect;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * {@code POST /v2/face-recognition/detect}: validate, bound the time (the FAST search budget: detection is one
 * upstream call or one pass of the detector), detect, measure. A detection is not a search, so it leaves no result
 * record; its metric is the searches' one with {@code Endpoint=detect}, {@code MatchCount} counting the faces found
 * and {@code Status} MATCHED (faces found), NO_MATCH (none), REJECTED or FAILED by the searches' rule.
 */
@ApplicationScoped
public class FaceDetectionService {
    private final CropSearchValidator validator;
    private final SearchBudget budget;
    private final DetectBackend backend;
    private final SearchMetrics metrics;

    public FaceDetectionService(CropSearchValidator validator, SearchBudget budget, DetectBackend backend,
                                SearchMetrics metrics) {
        this.validator = validator;
        this.budget = budget;
        this.backend = backend;
        this.metrics = metrics;
    }

    /** The HTTP way in: failures reach the caller as thrown, after their metric. */
    public SearchResult detectHttp(byte[] body, String bearerToken, long lambdaRemainingMillis) {
        long started = System.nanoTime();
        SearchResult result;
        try {
            ValidatedDetect request = validator.validateDetect(body);
            result = backend.detect(request, bearerToken, budget.deadlineFor(SearchMode.FAST, lambdaRemainingMillis));
        } catch (ApiException refused) {
            metrics.searched(ApiEndpoint.DETECT.label, "api", RecordFactory.statusFor(refused), millisSince(started),
                    0, refused instanceof SearchFailure failure ? failure.attempts() : 0);
            throw refused;
        } catch (RuntimeException unexpected) {
            metrics.searched(ApiEndpoint.DETECT.label, "api", SearchStatus.FAILED, millisSince(started), 0, 0);
            throw unexpected;
        }
        int faces = result.body().path("data").size();
        metrics.searched(ApiEndpoint.DETECT.label, "api", faces > 0 ? SearchStatus.MATCHED : SearchStatus.NO_MATCH,
                millisSince(started), faces, result.attempts());
        return result;
    }

    private static long millisSince(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }
}
