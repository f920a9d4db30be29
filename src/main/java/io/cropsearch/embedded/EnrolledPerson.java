package io.cropsearch.embedded;

import java.util.List;

/**
 * A person with the descriptors of their enrolled images: for each image the plain descriptor and the one averaged
 * with the mirrored image (used by ACCURATE searches).
 */
public record EnrolledPerson(Person person, List<float[]> plain, List<float[]> mirrored) {
    public EnrolledPerson {
        plain = List.copyOf(plain);
        mirrored = List.copyOf(mirrored);
        if (plain.size() != mirrored.size()) {
            throw new IllegalArgumentException("one plain and one mirrored descriptor per image");
        }
    }
}
