package io.cropsearch.validation;

/** A page of a listing that passed every check: {@code (page - 1) * limit} fits an int. */
public record ValidatedPage(int page, int limit) {
}
