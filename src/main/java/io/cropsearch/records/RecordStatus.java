package io.cropsearch.records;

/** How a search ended, as stored in the {@code status} attribute. */
public enum RecordStatus {
    /** The upstream answered with at least one candidate. */
    MATCHED,
    /** The upstream answered with no candidate above {@code min_score}. */
    NO_MATCH,
    /** The input broke the contract (ours or the upstream's). Final: the same input is never retried. */
    REJECTED,
    /** No answer could be had. A later delivery of the same object may replace this record (and only this kind). */
    FAILED,
    /** Not searched on purpose: not an image by its key, or too large to read. */
    SKIPPED;

    /** Whether a later delivery of the same S3 object version may overwrite a record with this status. */
    public boolean replaceable() {
        return this == FAILED;
    }
}
