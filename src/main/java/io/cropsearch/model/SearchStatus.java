package io.cropsearch.model;

/** How a search ended, the same for every way in: in result records and in metrics. */
public enum SearchStatus {
    /** The upstream answered with at least one candidate. */
    MATCHED,
    /** The upstream answered with no candidate above min_score. */
    NO_MATCH,
    /** The input broke a rule of the contract (final: retrying cannot help). */
    REJECTED,
    /** The upstream (or a sink) failed. */
    FAILED,
    /** An S3 object that is not a searchable image (suffix, size). */
    SKIPPED
}
