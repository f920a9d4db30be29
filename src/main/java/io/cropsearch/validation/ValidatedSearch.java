package io.cropsearch.validation;

import io.cropsearch.model.SearchMode;

import java.util.List;
import java.util.Optional;

/** A search that passed every check of the contract; only this type ever reaches a search backend. */
public record ValidatedSearch(
        List<SearchImage> images,
        Optional<String> collectionId,
        Optional<Integer> maxResults,
        double minScore,
        SearchMode searchMode) {

    public ValidatedSearch {
        images = List.copyOf(images);
    }
}
