package io.cropsearch.engine.face;

/**
 * What face-api.js's {@code AgeGenderNet} says about a face: {@code age} in years (a regression, not a class),
 * {@code gender} {@code "M"} or {@code "F"}, and {@code genderProbability} the softmax probability of that gender
 * (0.5..1). How far to trust them on real photos: docs/EMBEDDED.md, "Age and gender".
 */
public record Attributes(double age, String gender, double genderProbability) {
}
