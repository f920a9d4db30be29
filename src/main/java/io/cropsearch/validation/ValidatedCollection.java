package io.cropsearch.validation;

/** A collection creation request that passed every check. */
public record ValidatedCollection(String name, String description) {
}
