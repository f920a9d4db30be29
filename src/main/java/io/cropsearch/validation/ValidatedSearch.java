package io.cropsearch.validation;

import io.cropsearch.model.ApiEndpoint;
import io.cropsearch.model.SearchMode;

import java.util.List;
import java.util.Optional;

/**
 * A search that passed every check of the contract; only this type ever reaches a search backend.
 *
 * @param endpoint {@link ApiEndpoint#SEARCH_CROPS} for face crops, {@link ApiEndpoint#SEARCH} for whole photos (the
 *                 backend finds the face, the upstream is asked at its {@code /search})
 * @param allFaces one search per face found instead of the largest face's only (S3 metadata {@code all-faces})
 */
public record ValidatedSearch(
        List<SearchImage> images,
        Optional<String> collectionId,
        Optional<Integer> maxResults,
        double minScore,
        SearchMode searchMode,
        ApiEndpoint endpoint,
        boolean allFaces) {

    public ValidatedSearch {
        images = List.copyOf(images);
    }

    /** A crop search. */
    public ValidatedSearch(List<SearchImage> images, Optional<String> collectionId, Optional<Integer> maxResults,
                           double minScore, SearchMode searchMode) {
        this(images, collectionId, maxResults, minScore, searchMode, ApiEndpoint.SEARCH_CROPS, false);
    }

    /** A search of the largest face of each image, with {@code endpoint}'s rules. */
    public ValidatedSearch(List<SearchImage> images, Optional<String> collectionId, Optional<Integer> maxResults,
                           double minScore, SearchMode searchMode, ApiEndpoint endpoint) {
        this(images, collectionId, maxResults, minScore, searchMode, endpoint, false);
    }

    /** Whether the images are whole photos, searched by their largest face. */
    public boolean photos() {
        return endpoint == ApiEndpoint.SEARCH;
    }
}
