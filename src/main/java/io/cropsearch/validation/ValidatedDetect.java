package io.cropsearch.validation;

/**
 * A {@code POST /v2/face-recognition/detect} request that passed every check: one whole photo (inspected bytes, or an
 * https URL for a backend that can fetch it) and the two flags, false when absent.
 */
public record ValidatedDetect(SearchImage image, boolean returnLandmarks, boolean returnAttributes) {
}
