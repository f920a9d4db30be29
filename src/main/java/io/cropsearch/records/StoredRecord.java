package io.cropsearch.records;

/** What a sink already holds for a key: enough to tell a duplicate delivery from a retry after a failure. */
public record StoredRecord(RecordStatus status, int deliveries) {
}
