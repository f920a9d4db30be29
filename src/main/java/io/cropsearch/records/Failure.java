package io.cropsearch.records;

/** Why a search was rejected or failed: the contract's error code and message, and the HTTP status it maps to. */
public record Failure(String code, String message, int status, boolean transientFailure) {
}
