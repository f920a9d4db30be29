package io.cropsearch.validation;

import io.cropsearch.model.SearchMode;

import java.util.List;
import java.util.Optional;

/**
 * A {@code POST /v2/face-recognition/compare} body that passed every check: 1-3 inspected base64 images on each side
 * (whole photos allowed), the mode ({@link FaceMatchValidator#DEFAULT_COMPARE_MODE} when absent) and the optional
 * {@code compare_min_score} within 0.67-0.95.
 */
public record ValidatedCompare(List<SearchImage.Inline> probe, List<SearchImage.Inline> gallery, SearchMode searchMode,
                               Optional<Double> compareMinScore) {
    public ValidatedCompare {
        probe = List.copyOf(probe);
        gallery = List.copyOf(gallery);
    }
}
