package io.cropsearch.records;

import io.cropsearch.model.SearchStatus;

/** What a sink already holds for a key: enough to tell a duplicate delivery from a retry after a failure. */
public record StoredRecord(SearchStatus status, int deliveries) {
}
