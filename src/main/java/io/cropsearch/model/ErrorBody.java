package io.cropsearch.model;

/** The contract's error shape, the only body an error response ever has. */
public record ErrorBody(String message, String code) {
}
