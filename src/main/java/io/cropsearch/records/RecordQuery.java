package io.cropsearch.records;

import java.time.Instant;

/**
 * Which latest records to read back ({@code GET /v2/crop-search/records}), already validated by
 * {@link io.cropsearch.validation.CropSearchValidator#validateRecordQuery}.
 *
 * @param collectionId the records of searches in this collection; null: those of searches that named none
 *                     (index partition {@code COL#_all}), the same split the {@code byCollection} index makes
 * @param since        only records created at or after this instant; null: no lower bound
 * @param limit        at most this many records, newest first ({@value #MIN_LIMIT}-{@value #MAX_LIMIT})
 */
public record RecordQuery(String collectionId, Instant since, int limit) {
    public static final int MIN_LIMIT = 1;
    /** A page's worth: one DynamoDB Query of at most this many items, never a second page. */
    public static final int MAX_LIMIT = 50;
    public static final int DEFAULT_LIMIT = 20;

    public RecordQuery {
        if (limit < MIN_LIMIT || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit out of range: " + limit);
        }
    }
}
