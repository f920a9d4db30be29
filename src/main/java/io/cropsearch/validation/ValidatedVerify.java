package io.cropsearch.validation;

import io.cropsearch.model.SearchMode;

import java.util.List;
import java.util.Optional;

/**
 * A {@code POST /v2/face-recognition/verify} body that passed every check: the enrolled person's {@code _id}, 1-3
 * inspected base64 images (whole photos allowed), {@code min_score} within 0.5-1, the mode, and the optional collection
 * the person must belong to.
 */
public record ValidatedVerify(String personId, List<SearchImage.Inline> images, Optional<String> collectionId,
                              double minScore, SearchMode searchMode) {
    public ValidatedVerify {
        images = List.copyOf(images);
    }
}
