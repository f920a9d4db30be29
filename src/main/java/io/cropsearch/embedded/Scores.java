package io.cropsearch.embedded;

/**
 * The search score: {@code score = clamp(1 - d / 2, 0, 1)} for the Euclidean distance {@code d} between descriptors.
 * It rises as the distance falls; {@code min_score} 0.7 is distance 0.6, the model's usual same-person threshold, and
 * the contract's lowest {@code min_score} 0.5 is distance 1.0 (descriptors of different people sit around 0.6-1.0;
 * docs/EMBEDDED.md shows the measured distributions).
 */
public final class Scores {
    private Scores() {
    }

    public static double fromDistance(double distance) {
        return Math.max(0, Math.min(1, 1 - distance / 2));
    }

    public static double maxDistanceFor(double minScore) {
        return 2 * (1 - minScore);
    }
}
