package io.cropsearch.records;

import io.cropsearch.model.SearchStatus;
import io.cropsearch.search.ProbeFace;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One search, from either way in, as it is stored. Strings are already truncated and lists capped by
 * {@link RecordFactory}; {@link ItemShape} alone decides how this becomes a DynamoDB item. Fields that do not apply are
 * null (or empty), so that the item carries only what is known.
 *
 * @param id          the API request id, or a fresh id for an S3 record
 * @param object      the S3 object version (S3 records only)
 * @param params      the validated parameters (absent when the input was rejected or not read)
 * @param metadata    the S3 user metadata search keys as given, before validation (S3 records only)
 * @param matchCount  how many candidates the upstream returned, before capping
 * @param searchMillis time spent in the search backend, retries included
 * @param totalMillis time from the start of handling to the record
 * @param attempts    upstream attempts of this delivery
 * @param deliveries  how many deliveries of this S3 object version have been handled, this one included
 * @param skipReason  why a SKIPPED record was not searched
 * @param faces       per query image, the face the embedded engine searched with (empty otherwise)
 * @param endpoint    the endpoint of a record that is not a crop search ({@code verify}, {@code search} for whole
 *                    photos: HTTP or an S3 photo); null for crop searches
 * @param faceSearches for an all-faces search (S3 {@code all-faces}), one search per face, largest first; else empty
 */
public record ResultRecord(
        String id,
        Source source,
        SearchStatus status,
        Instant createdAt,
        long expiresAtEpochSeconds,
        ObjectVersion object,
        SearchParams params,
        Map<String, String> metadata,
        List<Match> matches,
        int matchCount,
        String upstreamId,
        String signatureMessage,
        String signatureDateTime,
        Long searchMillis,
        long totalMillis,
        int attempts,
        int deliveries,
        Failure failure,
        String skipReason,
        List<ProbeFace> faces,
        String endpoint,
        List<FaceSearch> faceSearches) {

    /** A crop search's record (no {@code endpoint}). */
    public ResultRecord(String id, Source source, SearchStatus status, Instant createdAt, long expiresAtEpochSeconds,
                        ObjectVersion object, SearchParams params, Map<String, String> metadata, List<Match> matches,
                        int matchCount, String upstreamId, String signatureMessage, String signatureDateTime,
                        Long searchMillis, long totalMillis, int attempts, int deliveries, Failure failure,
                        String skipReason, List<ProbeFace> faces) {
        this(id, source, status, createdAt, expiresAtEpochSeconds, object, params, metadata, matches, matchCount,
                upstreamId, signatureMessage, signatureDateTime, searchMillis, totalMillis, attempts, deliveries, failure,
                skipReason, faces, null, List.of());
    }

    /** A record of one search or verify per query image (no per-face searches). */
    public ResultRecord(String id, Source source, SearchStatus status, Instant createdAt, long expiresAtEpochSeconds,
                        ObjectVersion object, SearchParams params, Map<String, String> metadata, List<Match> matches,
                        int matchCount, String upstreamId, String signatureMessage, String signatureDateTime,
                        Long searchMillis, long totalMillis, int attempts, int deliveries, Failure failure,
                        String skipReason, List<ProbeFace> faces, String endpoint) {
        this(id, source, status, createdAt, expiresAtEpochSeconds, object, params, metadata, matches, matchCount,
                upstreamId, signatureMessage, signatureDateTime, searchMillis, totalMillis, attempts, deliveries, failure,
                skipReason, faces, endpoint, List.of());
    }

    public ResultRecord {
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        faces = faces == null ? List.of() : List.copyOf(faces);
        matches = matches == null ? List.of() : List.copyOf(matches);
        faceSearches = faceSearches == null ? List.of() : List.copyOf(faceSearches);
    }

    /** The best-scored match, if any. */
    public Match topMatch() {
        Match top = null;
        for (Match m : matches) {
            if (top == null || m.score() > top.score()) {
                top = m;
            }
        }
        return top;
    }

    /** Same record with half the matches, its own and each face's: used by {@link ItemShape} to stay under its bound. */
    ResultRecord halved() {
        return new ResultRecord(id, source, status, createdAt, expiresAtEpochSeconds, object, params, metadata,
                matches.subList(0, matches.size() / 2), matchCount, upstreamId, signatureMessage, signatureDateTime,
                searchMillis, totalMillis, attempts, deliveries, failure, skipReason, faces, endpoint,
                faceSearches.stream().map(FaceSearch::halved).toList());
    }

    /** Whether any match is left to drop, its own or a face's. */
    boolean hasMatches() {
        return !matches.isEmpty() || faceSearches.stream().anyMatch(f -> !f.matches().isEmpty());
    }
}
