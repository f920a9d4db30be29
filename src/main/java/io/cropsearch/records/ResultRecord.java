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
 * @param endpoint    the endpoint of a record that is not a crop search ({@code verify}); null for crop searches
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
        String endpoint) {

    /** A crop search's record (no {@code endpoint}). */
    public ResultRecord(String id, Source source, SearchStatus status, Instant createdAt, long expiresAtEpochSeconds,
                        ObjectVersion object, SearchParams params, Map<String, String> metadata, List<Match> matches,
                        int matchCount, String upstreamId, String signatureMessage, String signatureDateTime,
                        Long searchMillis, long totalMillis, int attempts, int deliveries, Failure failure,
                        String skipReason, List<ProbeFace> faces) {
        this(id, source, status, createdAt, expiresAtEpochSeconds, object, params, metadata, matches, matchCount,
                upstreamId, signatureMessage, signatureDateTime, searchMillis, totalMillis, attempts, deliveries, failure,
                skipReason, faces, null);
    }

    public ResultRecord {
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        faces = faces == null ? List.of() : List.copyOf(faces);
        matches = matches == null ? List.of() : List.copyOf(matches);
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

    /** Same record with fewer matches: used by {@link ItemShape} to stay under its size bound. */
    ResultRecord withMatches(List<Match> fewer) {
        return new ResultRecord(id, source, status, createdAt, expiresAtEpochSeconds, object, params, metadata, fewer,
                matchCount, upstreamId, signatureMessage, signatureDateTime, searchMillis, totalMillis, attempts,
                deliveries, failure, skipReason, faces, endpoint);
    }
}
