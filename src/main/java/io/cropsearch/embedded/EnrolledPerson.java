package io.cropsearch.embedded;

import java.util.List;

/**
 * A person with the descriptors of their enrolled images: for each image the FAST and the ACCURATE descriptor (the
 * two search modes align and describe the face differently, see {@code FacePipeline}).
 */
public record EnrolledPerson(Person person, List<float[]> fast, List<float[]> accurate) {
    public EnrolledPerson {
        fast = List.copyOf(fast);
        accurate = List.copyOf(accurate);
        if (fast.size() != accurate.size()) {
            throw new IllegalArgumentException("one FAST and one ACCURATE descriptor per image");
        }
    }
}
