package io.cropsearch.records;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cropsearch.config.CropSearchConfig;
import io.cropsearch.errors.ApiException;
import io.cropsearch.model.ApiEndpoint;
import io.cropsearch.model.SearchStatus;
import io.cropsearch.search.CropSearchService;
import io.cropsearch.search.SearchFailure;
import io.cropsearch.search.SearchResult;
import io.cropsearch.validation.ValidatedSearch;
import io.cropsearch.validation.ValidatedVerify;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the outcome of a search into a {@link ResultRecord}, bounding everything that comes from outside: whatever the
 * upstream or the uploader sends, a record holds at most {@code max-matches} matches of capped strings, and never a
 * thumbnail's bytes. What a status means is decided here, once, for both ways in.
 */
@ApplicationScoped
public class RecordFactory {
    static final int MAX_ID_CHARS = 128;
    static final int MAX_NAME_CHARS = 128;
    static final int MAX_MESSAGE_CHARS = 512;
    static final int MAX_METADATA_CHARS = 256;

    private final CropSearchConfig.Records config;

    public RecordFactory(CropSearchConfig config) {
        this.config = config.records();
    }

    /**
     * The record's {@code endpoint} of a search: none for a crop search (the function's first endpoint, as records
     * before other endpoints existed), {@code search} for the standard search of whole photos (HTTP, or an S3 photo).
     */
    static String endpointAttribute(ApiEndpoint endpoint) {
        return endpoint == ApiEndpoint.SEARCH_CROPS ? null : endpoint.label;
    }

    /** A search that got an answer: MATCHED or NO_MATCH. */
    public ResultRecord searched(Source source, String id, ObjectVersion object, ValidatedSearch search,
                                 Map<String, String> metadata, SearchResult result, long startedNanos, int deliveries) {
        ObjectNode body = result.body();
        List<Match> all = matches(body.path("data"));
        List<Match> kept = all.size() > config.maxMatches() ? all.subList(0, config.maxMatches()) : all;
        JsonNode signature = body.path("signature");
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        return new ResultRecord(id, source, all.isEmpty() ? SearchStatus.NO_MATCH : SearchStatus.MATCHED, now,
                expiry(now), object, params(search), bounded(metadata), kept, all.size(),
                text(body.path("id"), MAX_ID_CHARS), text(signature.path("message"), MAX_MESSAGE_CHARS),
                text(signature.path("dateTime"), MAX_NAME_CHARS), result.elapsed().toMillis(), sinceMillis(startedNanos),
                result.attempts(), deliveries, null, null, result.faces(), endpointAttribute(search.endpoint()),
                result.perFace().stream().map(this::faceSearch).toList());
    }

    /** One face's search of an all-faces search, its matches capped like the record's own. */
    private FaceSearch faceSearch(io.cropsearch.search.FaceSearchResult result) {
        List<Match> all = matches(result.data());
        return new FaceSearch(result.face(), all.size() > config.maxMatches() ? all.subList(0, config.maxMatches())
                : all, all.size());
    }

    /** The {@code endpoint} attribute of verify records. */
    public static final String VERIFY = "verify";

    /**
     * A 1:1 verify that got an answer: MATCHED with the person as its one match when {@code data.match} is an object,
     * else NO_MATCH. Its parameters are kept like a search's ({@code max_results} absent); the person asked about is
     * the match, so a NO_MATCH record does not name them.
     */
    public ResultRecord verified(String id, ValidatedVerify verify, SearchResult result, long startedNanos) {
        ObjectNode body = result.body();
        JsonNode match = body.path("data").path("match");
        List<Match> found = match.isObject() ? matches(JsonNodeFactory.instance.arrayNode().add(match)) : List.of();
        JsonNode signature = body.path("signature");
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        return new ResultRecord(id, Source.API, found.isEmpty() ? SearchStatus.NO_MATCH : SearchStatus.MATCHED, now,
                expiry(now), null, params(verify), Map.of(), found, found.size(),
                text(body.path("id"), MAX_ID_CHARS), text(signature.path("message"), MAX_MESSAGE_CHARS),
                text(signature.path("dateTime"), MAX_NAME_CHARS), result.elapsed().toMillis(), sinceMillis(startedNanos),
                result.attempts(), 1, null, null, result.faces(), VERIFY);
    }

    /** A verify that ended without an answer: REJECTED or FAILED as {@link #statusFor} says, like a search. */
    public ResultRecord verifyFailed(String id, ValidatedVerify verifyOrNull, ApiException error, String token,
                                     long startedNanos) {
        ResultRecord failed = failed(Source.API, id, null, null, null, error, token, startedNanos, 1);
        return new ResultRecord(failed.id(), failed.source(), failed.status(), failed.createdAt(),
                failed.expiresAtEpochSeconds(), null, params(verifyOrNull), Map.of(), List.of(), 0, null, null, null,
                null, failed.totalMillis(), failed.attempts(), 1, failed.failure(), null, List.of(), VERIFY);
    }

    private static SearchParams params(ValidatedVerify verify) {
        return verify == null ? null : new SearchParams(verify.collectionId().orElse(null), null, verify.minScore(),
                verify.searchMode().name(), verify.images().size());
    }

    /**
     * A search that ended without an answer: REJECTED or FAILED, see {@link #statusFor}.
     *
     * @param token the bearer token the search used: an upstream that echoes it in an error message must not get it
     *              stored, so it is cut out of the message
     */
    public ResultRecord failed(Source source, String id, ObjectVersion object, ValidatedSearch searchOrNull,
                               Map<String, String> metadata, ApiException error, String token, long startedNanos,
                               int deliveries) {
        return failed(source, searchOrNull == null ? ApiEndpoint.SEARCH_CROPS : searchOrNull.endpoint(), id, object,
                searchOrNull, metadata, error, token, startedNanos, deliveries);
    }

    /** As above, for a search made at {@code endpoint} (known even when validation refused the input). */
    public ResultRecord failed(Source source, ApiEndpoint endpoint, String id, ObjectVersion object,
                               ValidatedSearch searchOrNull, Map<String, String> metadata, ApiException error,
                               String token, long startedNanos, int deliveries) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        int attempts = error instanceof SearchFailure f ? f.attempts() : 0;
        boolean transientFailure = error instanceof SearchFailure f && f.isTransient();
        Failure failure = new Failure(truncate(redact(error.code(), token), MAX_ID_CHARS),
                truncate(redact(error.getMessage(), token), MAX_MESSAGE_CHARS), error.status(), transientFailure);
        return new ResultRecord(id, source, statusFor(error), now, expiry(now), object, params(searchOrNull),
                bounded(metadata), List.of(), 0, null, null, null, null, sinceMillis(startedNanos), attempts, deliveries,
                failure, null, List.of(), endpointAttribute(endpoint));
    }

    /** A failure of our own side (reading the object, for one), not an upstream answer: FAILED. */
    public ResultRecord failed(ObjectVersion object, String code, String message, boolean transientFailure,
                               Map<String, String> metadata, long startedNanos, int deliveries) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Failure failure = new Failure(truncate(code, MAX_ID_CHARS), truncate(message, MAX_MESSAGE_CHARS), 500,
                transientFailure);
        return new ResultRecord(newId(), Source.S3, SearchStatus.FAILED, now, expiry(now), object, null,
                bounded(metadata), List.of(), 0, null, null, null, null, sinceMillis(startedNanos), 0, deliveries,
                failure, null, List.of());
    }

    /** An S3 object that was not searched on purpose. */
    public ResultRecord skipped(ObjectVersion object, String reason, long startedNanos, int deliveries) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        return new ResultRecord(newId(), Source.S3, SearchStatus.SKIPPED, now, expiry(now), object, null, Map.of(),
                List.of(), 0, null, null, null, null, sinceMillis(startedNanos), 0, deliveries, null, reason, List.of());
    }

    /**
     * Our own validation refusals are REJECTED; upstream outcomes follow the rule metrics use too
     * ({@link CropSearchService#statusOf}). A FAILED record's {@code error.transient} tells whether trying again helps.
     */
    public static SearchStatus statusFor(ApiException error) {
        if (error instanceof SearchFailure failure) {
            return CropSearchService.statusOf(failure);
        }
        return error.status() >= 500 ? SearchStatus.FAILED : SearchStatus.REJECTED;
    }

    public static String newId() {
        return java.util.UUID.randomUUID().toString();
    }

    private List<Match> matches(JsonNode data) {
        List<Match> matches = new ArrayList<>();
        if (!data.isArray()) {
            return matches;
        }
        for (JsonNode candidate : data) {
            if (!candidate.isObject()) {
                continue;
            }
            List<String> thumbnailIds = new ArrayList<>();
            for (JsonNode thumbnail : candidate.path("thumbnails")) {
                if (thumbnailIds.size() >= config.maxThumbnailIds()) {
                    break;
                }
                String thumbnailId = text(thumbnail.path("id"), MAX_ID_CHARS);
                if (thumbnailId != null) {
                    thumbnailIds.add(thumbnailId);
                }
            }
            String personId = text(candidate.path("id"), MAX_ID_CHARS);
            matches.add(new Match(personId == null ? "" : personId, text(candidate.path("name"), MAX_NAME_CHARS),
                    score(candidate.path("score")), thumbnailIds));
        }
        // Best first, so that capping keeps the best and the first match is the top one.
        matches.sort(Comparator.comparingDouble(Match::score).reversed());
        return matches;
    }

    private static double score(JsonNode node) {
        double value = node.isNumber() ? node.doubleValue() : node.isTextual() ? parse(node.textValue()) : 0;
        return Double.isFinite(value) ? value : 0;
    }

    private static double parse(String text) {
        try {
            return Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static SearchParams params(ValidatedSearch search) {
        if (search == null) {
            return null;
        }
        return new SearchParams(search.collectionId().orElse(null), search.maxResults().orElse(null),
                search.minScore(), search.searchMode().name(), search.images().size());
    }

    private static Map<String, String> bounded(Map<String, String> metadata) {
        if (metadata == null || metadata.isEmpty()) {
            return Map.of();
        }
        Map<String, String> bounded = new LinkedHashMap<>();
        metadata.forEach((k, v) -> {
            if (k != null && v != null && bounded.size() < 16) {
                bounded.put(truncate(k, MAX_ID_CHARS), truncate(v, MAX_METADATA_CHARS));
            }
        });
        return bounded;
    }

    private long expiry(Instant createdAt) {
        Duration retention = config.retention();
        return createdAt.plus(retention).getEpochSecond();
    }

    private static long sinceMillis(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos).toMillis();
    }

    private static String text(JsonNode node, int maxChars) {
        if (node == null || node.isMissingNode() || node.isNull() || node.isContainerNode()) {
            return null;
        }
        return truncate(node.asText(), maxChars);
    }

    static String redact(String text, String token) {
        if (text == null || token == null || token.isEmpty()) {
            return text;
        }
        return text.replace(token, "[redacted]");
    }

    /** Cuts to at most {@code maxChars} chars without splitting a surrogate pair. */
    static String truncate(String value, int maxChars) {
        if (value == null || value.length() <= maxChars) {
            return value;
        }
        int end = maxChars;
        if (Character.isHighSurrogate(value.charAt(end - 1))) {
            end--;
        }
        return value.substring(0, end);
    }
}
