package io.cropsearch.s3;

import io.cropsearch.config.CropSearchConfig;
import io.cropsearch.errors.ApiException;
import io.cropsearch.observability.SearchMetrics;
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
import io.cropsearch.search.SearchBackend;
import io.cropsearch.search.SearchBudget;
import io.cropsearch.search.SearchFailure;
import io.cropsearch.search.SearchResult;
import io.cropsearch.validation.CropSearchValidator;
import io.cropsearch.validation.ValidatedSearch;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.ResponseInputStream;
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
            "max-results", "max_results");

    private final S3Client s3;
    private final CropSearchValidator validator;
    private final SearchBudget budget;
    private final SearchBackend backend;
    private final ResultSink sink;
    private final RecordFactory records;
    private final RecordCounters counters;
    private final SearchMetrics metrics;
    private final CropSearchConfig.S3 config;
    private final java.util.Optional<String> token;

    public S3UploadProcessor(S3Client s3, CropSearchValidator validator, SearchBudget budget, SearchBackend backend,
                             ResultSink sink, RecordFactory records, RecordCounters counters, SearchMetrics metrics,
                             CropSearchConfig config) {
        this.s3 = s3;
        this.validator = validator;
        this.budget = budget;
        this.backend = backend;
        this.sink = sink;
        this.records = records;
        this.counters = counters;
        this.metrics = metrics;
        this.config = config.s3();
        this.token = config.verifikToken();
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
        } catch (SdkException | IOException e) {
            return new ObjectRead(null, null, unreadable(object, e, started, deliveries));
        }
    }

    /** Validation with the HTTP path's rules, then the search with the function's own token, then the record. */
    private S3RecordOutcome search(ObjectVersion object, ObjectRead read, long lambdaRemainingMillis, long started,
                                   int deliveries) {
        ValidatedSearch search;
        try {
            search = validator.validateStrings(List.of(Base64.getEncoder().encodeToString(read.bytes())),
                    params(read.metadata()));
        } catch (ApiException rejected) {
            LOG.infof("s3://%s/%s rejected: %s", object.bucket(), object.key(), rejected.getMessage());
            return write(records.failed(Source.S3, RecordFactory.newId(), object, null, read.metadata(), rejected, null,
                    started, deliveries));
        }
        try {
            SearchResult result = backend.search(search, token.orElse(""),
                    budget.deadlineFor(search.searchMode(), lambdaRemainingMillis));
            return write(records.searched(Source.S3, RecordFactory.newId(), object, search, read.metadata(), result,
                    started, deliveries));
        } catch (SearchFailure refused) {
            SearchFailure failure = credentialProblemIsTransient(refused);
            ResultRecord record = records.failed(Source.S3, RecordFactory.newId(), object, search, read.metadata(),
                    failure, token.orElse(null), started, deliveries);
            if (failure.isTransient()) {
                LOG.warnf("s3://%s/%s search failed transiently (%s after %d attempts)", object.bucket(), object.key(),
                        failure.code(), failure.attempts());
                return failTransiently(record);
            }
            LOG.warnf("s3://%s/%s search failed: %s %s", object.bucket(), object.key(), failure.status(), failure.code());
            return write(record);
        }
    }

    /**
     * On the S3 path the token is the function's own: an upstream 401/403 says the function's credential is wrong or
     * expired, not that the upload is bad. Failing the invocation keeps the upload (retries, then the on-failure queue,
     * from which it can be redriven once the secret is rotated) instead of recording a final refusal.
     */
    private static SearchFailure credentialProblemIsTransient(SearchFailure failure) {
        if (failure.isTransient() || (failure.status() != 401 && failure.status() != 403)) {
            return failure;
        }
        return new SearchFailure(failure.status(), failure.code(), failure.getMessage(), null, null, true,
                failure.attempts());
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
