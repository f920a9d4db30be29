package io.cropsearch.model;

/** The contract's {@code search_mode}: FAST trades precision for latency, ACCURATE the other way round. */
public enum SearchMode {
    FAST,
    ACCURATE
}
