package io.cropsearch.records;

/**
 * The S3 object version a record is about, with the key already URL-decoded. {@code versionId} is null in buckets
 * without versioning, {@code eTag} and {@code size} when the event did not carry them.
 */
public record ObjectVersion(String bucket, String key, String versionId, String eTag, Long size) {
}
