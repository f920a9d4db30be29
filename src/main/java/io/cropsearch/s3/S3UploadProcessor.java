package io.cropsearch.s3;

import io.cropsearch.config.CropSearchConfig;
import io.cropsearch.errors.ApiException;
import io.cropsearch.observability.SearchMetrics;
import io.cropsearch.model.ApiEndpoint;
import io.cropsearch.model.SearchStatus;
import io.cropsearch.records.ItemShape;
import io.cropsearch.records.ObjectVersion;
import io.cropsearch.records.RecordCounters;
import io.cropsearch.records.RecordFactory;
import io.cropsearch.records.RecordKey;
import io.cropsearch.records.ResultRecord;
import io.cropsearch.records.Source;
import io.cropsearch.records.StoredRecord;
import io.cropsearch.records.sink.ResultSink;
import io.cropsearch.records.sink.SinkUnavailableException;
import io.cropsearch.search.CropSearchService;
import io.cropsearch.search.SearchFailure;
import io.cropsearch.search.SearchResult;
import io.cropsearch.validation.CropSearchValidator;
import io.cropsearch.validation.ValidatedSearch;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.CreationException;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.io.IOException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Handles one S3 ObjectCreated record, from the object to its result record, so that a repeat delivery never searches
 * or records twice and nothing is lost: every path ends in a written record, a known duplicate, or
 * {@link S3RecordOutcome.Kind#RETRY} (which fails the invocation, so that Lambda retries and finally hands the event to
 * the on-failure destination).
 */
@ApplicationScoped
public class S3UploadProcessor {
    private static final Logger LOG = Logger.getLogger(S3UploadProcessor.class);

    /** User metadata keys (x-amz-meta-*) and the contract fields they set. */
    static final Map<String, String> METADATA_FIELDS = Map.of(
            "min-score", "min_score",
            "search-mode", "search_mode",
            "collection-id", "collection_id",
            "max-results", "max_results",
            // true: one search per face of the photo, all in the one record (embedded backend; see docs/RECORDS.md)
            "all-faces", "all_faces");

    /** The error code of a FAILED record whose cause no rule foresaw (the exception's class is logged). */
    static final String UNEXPECTED_ERROR = CropSearchService.UNEXPECTED_ERROR;

    /** The error code of a record whose object could not be read because this S3 client has no region or credentials. */
    public static final String S3_NOT_CONFIGURED = "S3NotConfigured";
    /** What to do about {@link #S3_NOT_CONFIGURED}; fixed text, safe for records, logs and the invocation's error. */
    public static final String S3_NOT_CONFIGURED_HINT = "S3 is not configured: set AWS_REGION and AWS credentials "
            + "(on AWS the function's role provides them), or point AWS_ENDPOINT_URL_S3 (quarkus.s3.endpoint-override) "
            + "at a local S3-compatible server, with S3_FORCE_PATH_STYLE=true";

    private final S3Client s3;
    private final CropSearchService service;
    private final ResultSink sink;
    private final RecordFactory records;
    private final RecordCounters counters;
    private final SearchMetrics metrics;
    private final CropSearchConfig.S3 config;

    public S3UploadProcessor(S3Client s3, CropSearchService service, ResultSink sink, RecordFactory records,
                             RecordCounters counters, SearchMetrics metrics, CropSearchConfig config) {
        this.s3 = s3;
        this.service = service;
        this.sink = sink;
        this.records = records;
        this.counters = counters;
        this.metrics = metrics;
        this.config = config.s3();
    }

    /**
     * @param lambdaRemainingMillis the invocation's remaining time (negative outside Lambda), read per record so that
     *                              later records of an event get what is really left
     */
    public S3RecordOutcome process(ObjectVersion object, long lambdaRemainingMillis) {
        long started = System.nanoTime();
        RecordKey key = ItemShape.objectKey(object);
        Optional<StoredRecord> existing = sink.find(key);
        if (existing.isPresent() && !ResultSink.replaceable(existing.get().status())) {
            LOG.infof("duplicate delivery of s3://%s/%s (%s): already %s, nothing done (%d so far)", object.bucket(),
                    object.key(), key.sk(), existing.get().status(), counters.duplicate());
            return new S3RecordOutcome(object, S3RecordOutcome.Kind.DUPLICATE, existing.get().status(), null);
        }
        int deliveries = existing.map(s -> s.deliveries() + 1).orElse(1);
        try {
            return handle(object, lambdaRemainingMillis, started, deliveries);
        } catch (SinkUnavailableException storeDown) {
            // The handler stops writing for the rest of the event; writing a FAILED record here would fail the same way.
            throw storeDown;
        } catch (RuntimeException unexpected) {
            return unexpected(object, unexpected, started, deliveries);
        }
    }

    private S3RecordOutcome handle(ObjectVersion object, long lambdaRemainingMillis, long started, int deliveries) {
        if (!hasImageSuffix(object.key())) {
            return skip(object, "not_an_image_key", started, deliveries);
        }
        if (object.size() != null && object.size() > config.maxObjectBytes()) {
            return skip(object, "object_too_large", started, deliveries);
        }

        ObjectRead read = read(object, started, deliveries);
        if (read.outcome() != null) {
            return read.outcome();
        }
        return search(object, read, lambdaRemainingMillis, started, deliveries);
    }

    /**
     * A bug, a gallery store down, anything no rule foresaw: nothing says the upload is bad, so the record is a
     * replaceable FAILED one and the invocation fails (Lambda retries, then the on-failure destination keeps the event
     * for a redrive once the cause is fixed). Class name only in logs and record: messages may carry request data.
     */
    private S3RecordOutcome unexpected(ObjectVersion object, RuntimeException e, long started, int deliveries) {
        LOG.errorf("s3://%s/%s failed unexpectedly: %s", object.bucket(), object.key(), e.getClass().getName());
        return failTransiently(records.failed(object, UNEXPECTED_ERROR,
                "unexpected " + e.getClass().getSimpleName(), true, Map.of(), started, deliveries));
    }

    /** The object's bytes and search metadata, or the outcome that ends the record (skipped, gone, unreadable). */
    private record ObjectRead(byte[] bytes, Map<String, String> metadata, S3RecordOutcome outcome) {
    }

    private ObjectRead read(ObjectVersion object, long started, int deliveries) {
        try (ResponseInputStream<GetObjectResponse> in = s3.getObject(GetObjectRequest.builder()
                .bucket(object.bucket()).key(object.key()).versionId(object.versionId()).build())) {
            Long length = in.response().contentLength();
            // Never read past the limit: the event's size may be missing, and an object can be far larger than memory.
            byte[] bytes = length != null && length > config.maxObjectBytes() ? null
                    : in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, config.maxObjectBytes() + 1));
            if (bytes == null || bytes.length > config.maxObjectBytes()) {
                in.abort();
                return new ObjectRead(null, null, skip(object, "object_too_large", started, deliveries));
            }
            return new ObjectRead(bytes, searchMetadata(in.response().metadata()), null);
        } catch (S3Exception e) {
            if (e instanceof NoSuchKeyException || e.statusCode() == 404) {
                // Deleted (or this version gone) before we read it: no retry brings it back.
                LOG.warnf("s3://%s/%s is gone before it could be read", object.bucket(), object.key());
                return new ObjectRead(null, null, write(records.failed(object, "NoSuchKey", "object no longer exists",
                        false, Map.of(), started, deliveries)));
            }
            return new ObjectRead(null, null, unreadable(object, e, started, deliveries));
        } catch (CreationException e) {
            // The S3 client is built on first use and Quarkus wraps what stops it (no region anywhere in the SDK's
            // chain, typically dev mode without AWS) in a CDI CreationException, which says nothing to whoever
            // posted the event. Nothing about the upload is wrong: it stays a retry, so on AWS Lambda retries.
            return new ObjectRead(null, null, notConfigured(object, e, started, deliveries));
        } catch (SdkClientException e) {
            return new ObjectRead(null, null, lacksCredentials(e) ? notConfigured(object, e, started, deliveries)
                    : unreadable(object, e, started, deliveries));
        } catch (SdkException | IOException e) {
            return new ObjectRead(null, null, unreadable(object, e, started, deliveries));
        }
    }

    /** The SDK's own words when its credentials chain finds nothing (the request was never sent). */
    private static boolean lacksCredentials(SdkClientException e) {
        return e.getMessage() != null && e.getMessage().startsWith("Unable to load credentials");
    }

    /** The client cannot reach S3 at all from here: a retry, with a record and an error that say how to fix it. */
    private S3RecordOutcome notConfigured(ObjectVersion object, Exception e, long started, int deliveries) {
        LOG.warnf("s3://%s/%s could not be read (%s): %s", object.bucket(), object.key(), e.getClass().getSimpleName(),
                S3_NOT_CONFIGURED_HINT);
        return failTransiently(records.failed(object, S3_NOT_CONFIGURED, S3_NOT_CONFIGURED_HINT, true, Map.of(),
                started, deliveries));
    }

    /**
     * The search goes through {@link CropSearchService} like an HTTP one (validation with the HTTP path's rules, the
     * budget, the search, the metric); what is S3's own is here: the function's own token, the record keyed by the
     * object version, the final-or-retry rule ({@link #refusesTheInput}).
     */
    private S3RecordOutcome search(ObjectVersion object, ObjectRead read, long lambdaRemainingMillis, long started,
                                   int deliveries) {
        return service.search(new UploadSearch(object, read.bytes(), read.metadata(), deliveries), started,
                lambdaRemainingMillis);
    }

    /** The S3 way in, for one object version. */
    private final class UploadSearch implements CropSearchService.Way<S3RecordOutcome> {
        private final ObjectVersion object;
        private final byte[] bytes;
        private final Map<String, String> metadata;
        private final int deliveries;
        /** Crop or whole photo, known once {@link #validate} has looked at the object. */
        private ApiEndpoint endpoint = ApiEndpoint.SEARCH_CROPS;

        UploadSearch(ObjectVersion object, byte[] bytes, Map<String, String> metadata, int deliveries) {
            this.object = object;
            this.bytes = bytes;
            this.metadata = metadata;
            this.deliveries = deliveries;
        }

        @Override
        public String source() {
            return "s3";
        }

        @Override
        public ApiEndpoint endpoint() {
            return endpoint;
        }

        /**
         * An object within the crop limits is a crop; a larger one within the photo limits is a whole photo, searched
         * like {@code /search} (its largest face); beyond those it is refused.
         */
        @Override
        public ValidatedSearch validate(CropSearchValidator validator) {
            // Refused by both limits, it is refused in the photo limits' words, and recorded as such.
            endpoint = ApiEndpoint.SEARCH;
            endpoint = validator.uploadEndpoint("images[0]", bytes);
            return validator.validateStrings(List.of(Base64.getEncoder().encodeToString(bytes)), params(metadata),
                    endpoint);
        }

        /** The function's own token, which the backend holds (see FunctionToken): never a caller's. */
        @Override
        public String bearerToken() {
            return "";
        }

        /** Final only when the input itself was refused, else failed for a retry. */
        @Override
        public ApiException judged(ApiException error) {
            return refusesTheInput(error) ? error : asRetryable(error);
        }

        @Override
        public S3RecordOutcome searched(ValidatedSearch search, SearchResult result, long startedNanos) {
            return store(records.searched(Source.S3, RecordFactory.newId(), object, search, metadata, result,
                    startedNanos, deliveries));
        }

        @Override
        public S3RecordOutcome failed(ValidatedSearch searchOrNull, ApiException judged, RuntimeException cause,
                                      long startedNanos) {
            ResultRecord record = records.failed(Source.S3, endpoint, RecordFactory.newId(), object, searchOrNull,
                    metadata, judged, "", startedNanos, deliveries);
            if (!(cause instanceof ApiException)) {
                // Class name only: messages of unexpected failures may carry request data.
                LOG.errorf("s3://%s/%s failed unexpectedly: %s", object.bucket(), object.key(),
                        cause.getClass().getName());
                return storeForRetry(record);
            }
            if (judged instanceof SearchFailure failure && failure.isTransient()) {
                LOG.warnf("s3://%s/%s search failed (%s %s after %d attempts); failing the invocation for a retry",
                        object.bucket(), object.key(), judged.status(), judged.code(), failure.attempts());
                return storeForRetry(record);
            }
            LOG.infof("s3://%s/%s rejected: %s %s", object.bucket(), object.key(), judged.status(), judged.code());
            return store(record);
        }
    }

    /**
     * Only a refusal of the input is final on the S3 path: our validation's 4xx, the upstream's 409, the embedded
     * engine's 409 (no face), an unknown collection (404). Anything else (every upstream 5xx, 500 included, a
     * malformed answer, a timeout, the circuit open, throttling) may succeed on a later delivery, and a final record
     * would lose the upload: Lambda neither retries a successful invocation nor hands it to the on-failure destination.
     *
     * <p>On the S3 path the token is the function's own: an upstream 401/403 says the function's credential is wrong
     * or expired, not that the upload is bad, so the upload is kept (retries, then the on-failure queue, from which it
     * can be redriven once the secret is rotated) instead of being recorded as a final refusal.
     */
    static boolean refusesTheInput(ApiException error) {
        return RecordFactory.statusFor(error) == SearchStatus.REJECTED && error.status() != 401
                && error.status() != 403;
    }

    /** The same failure marked transient, so that its record is FAILED with {@code error.transient = true}. */
    private static SearchFailure asRetryable(ApiException error) {
        if (error instanceof SearchFailure failure && failure.isTransient()) {
            return failure;
        }
        int attempts = error instanceof SearchFailure failure ? failure.attempts() : 0;
        return new SearchFailure(error.status(), error.code(), error.getMessage(), null, null, true, attempts);
    }

    /** Access denied, throttling, S3 unreachable: worth another delivery (after which the destination gets it). */
    private S3RecordOutcome unreadable(ObjectVersion object, Exception e, long started, int deliveries) {
        String reason = e instanceof S3Exception s3e ? s3e.getClass().getSimpleName() + " " + s3e.statusCode()
                : e.getClass().getSimpleName();
        LOG.warnf("s3://%s/%s could not be read: %s", object.bucket(), object.key(), reason);
        return failTransiently(records.failed(object, "S3ReadFailed", "object could not be read: " + reason, true,
                Map.of(), started, deliveries));
    }

    private S3RecordOutcome skip(ObjectVersion object, String reason, long started, int deliveries) {
        LOG.infof("s3://%s/%s skipped: %s (size %s, %d skipped so far)", object.bucket(), object.key(), reason,
                object.size(), counters.skip());
        return write(records.skipped(object, reason, started, deliveries));
    }

    private S3RecordOutcome write(ResultRecord record) {
        measure(record);
        return store(record);
    }

    /** Writes a record whose metric is out already (a search's: {@link CropSearchService} measured it). */
    private S3RecordOutcome store(ResultRecord record) {
        ResultSink.WriteOutcome outcome = sink.write(record);
        if (outcome == ResultSink.WriteOutcome.DUPLICATE) {
            // A concurrent delivery of the same version got there first.
            LOG.infof("duplicate delivery of s3://%s/%s settled by the conditional write (%d so far)",
                    record.object().bucket(), record.object().key(), counters.duplicate());
            return new S3RecordOutcome(record.object(), S3RecordOutcome.Kind.DUPLICATE, null, null);
        }
        LOG.infof("s3://%s/%s recorded as %s", record.object().bucket(), record.object().key(), record.status());
        return new S3RecordOutcome(record.object(), S3RecordOutcome.Kind.RECORDED, record.status(),
                record.failure() == null ? null : record.failure().code());
    }

    /** Leaves a FAILED record when the sink allows it, then asks for the retry whatever happened to that record. */
    private S3RecordOutcome failTransiently(ResultRecord failed) {
        measure(failed);
        return storeForRetry(failed);
    }

    /** {@link #failTransiently} for a record whose metric is out already. */
    private S3RecordOutcome storeForRetry(ResultRecord failed) {
        try {
            sink.write(failed);
        } catch (SinkUnavailableException e) {
            LOG.warnf("FAILED record for s3://%s/%s not written either: %s", failed.object().bucket(),
                    failed.object().key(), e.getMessage());
        }
        return S3RecordOutcome.retry(failed.object(), failed.failure().code());
    }

    /** The same metric line an HTTP search emits, with source s3; repeat deliveries that do nothing emit none. */
    private void measure(ResultRecord record) {
        metrics.searched("s3", record.status(), record.totalMillis(), record.matchCount(), record.attempts());
    }

    private boolean hasImageSuffix(String key) {
        int dot = key.lastIndexOf('.');
        if (dot < 0 || key.endsWith("/")) {
            return false;
        }
        String suffix = key.substring(dot + 1).toLowerCase(Locale.ROOT);
        return config.imageSuffixes().stream().anyMatch(s -> s.trim().toLowerCase(Locale.ROOT).equals(suffix));
    }

    /** The user metadata that sets search parameters, as given (S3 hands keys over lower-cased, without the prefix). */
    static Map<String, String> searchMetadata(Map<String, String> userMetadata) {
        Map<String, String> found = new LinkedHashMap<>();
        if (userMetadata != null) {
            userMetadata.forEach((name, value) -> {
                String normalized = name.toLowerCase(Locale.ROOT);
                if (METADATA_FIELDS.containsKey(normalized)) {
                    found.put(normalized, value);
                }
            });
        }
        return found;
    }

    /** Contract fields from metadata, with the configured defaults where the object says nothing. */
    Map<String, String> params(Map<String, String> metadata) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("min_score", Double.toString(config.defaultMinScore()));
        params.put("search_mode", config.defaultSearchMode().name());
        config.defaultCollectionId().ifPresent(c -> params.put("collection_id", c));
        config.defaultMaxResults().ifPresent(m -> params.put("max_results", Integer.toString(m)));
        metadata.forEach((name, value) -> params.put(METADATA_FIELDS.get(name), value));
        return params;
    }
}
