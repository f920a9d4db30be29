package io.cropsearch.embedded;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * How well scores separate people: true and false accept rates at a threshold, and the equal error rate, over
 * same-person and different-person pairs of descriptors. Scores are the API's, {@code 1 - d/2} ({@link Scores}).
 */
record Separation(List<Double> same, List<Double> different) {

    /** All pairs of {@code descriptors}; {@code person} tells whose each one is. */
    static <T> Separation allPairs(List<T> items, Function<T, String> person, Function<T, float[]> descriptor) {
        List<Double> same = new ArrayList<>();
        List<Double> different = new ArrayList<>();
        for (int a = 0; a < items.size(); a++) {
            for (int b = a + 1; b < items.size(); b++) {
                double score = Scores.fromDistance(Gallery.distance(descriptor.apply(items.get(a)),
                        descriptor.apply(items.get(b))));
                (person.apply(items.get(a)).equals(person.apply(items.get(b))) ? same : different).add(score);
            }
        }
        return new Separation(same, different);
    }

    long trueAccepts(double threshold) {
        return same.stream().filter(s -> s >= threshold).count();
    }

    long falseAccepts(double threshold) {
        return different.stream().filter(s -> s >= threshold).count();
    }

    double tar(double threshold) {
        return (double) trueAccepts(threshold) / same.size();
    }

    double far(double threshold) {
        return (double) falseAccepts(threshold) / different.size();
    }

    /** The rate where false rejects and false accepts are equal (scanned in steps of 0.0005 of score). */
    double equalErrorRate() {
        double best = 1;
        double gap = Double.MAX_VALUE;
        for (double t = 0; t <= 1; t += 0.0005) {
            double frr = 1 - tar(t);
            double far = far(t);
            if (Math.abs(frr - far) < gap) {
                gap = Math.abs(frr - far);
                best = (frr + far) / 2;
            }
        }
        return best;
    }
}
