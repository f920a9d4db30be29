package io.cropsearch.validation;

import io.cropsearch.config.CropSearchConfig;

/**
 * The size rules one kind of image is held to. Crops (the crops endpoint, and S3 objects small enough to be crops) are
 * tuned for ~120 px faces and refused above {@code max-side-px}; whole photos (standard search, detect, verify,
 * compare, enrolment) may be as large as {@code photo-max-side-px}, and the embedded engine scales them down before
 * detection. {@code kind} names the rule in error messages.
 */
public record ImageLimits(String kind, int minSide, int maxSide, int maxBytes) {

    public static ImageLimits crops(CropSearchConfig.Limits limits) {
        return new ImageLimits("face crops", limits.minSidePx(), limits.maxSidePx(), limits.maxImageBytes());
    }

    public static ImageLimits photos(CropSearchConfig.Limits limits) {
        return new ImageLimits("images", limits.minSidePx(), limits.photoMaxSidePx(), limits.photoMaxImageBytes());
    }

    /** Longest base64 text that can hold {@link #maxBytes}. */
    long maxEncodedLength() {
        return 4L * ((maxBytes + 2L) / 3);
    }
}
