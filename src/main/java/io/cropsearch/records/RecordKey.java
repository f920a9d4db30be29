package io.cropsearch.records;

/** The primary key of a record's item; see {@link ItemShape} for how it is formed. */
public record RecordKey(String pk, String sk) {
}
