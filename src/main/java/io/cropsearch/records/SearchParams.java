package io.cropsearch.records;

/** The validated parameters a search ran with; {@code collectionId} and {@code maxResults} may be null. */
public record SearchParams(String collectionId, Integer maxResults, double minScore, String searchMode, int imageCount) {
}
