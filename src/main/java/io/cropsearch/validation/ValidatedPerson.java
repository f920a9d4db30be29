package io.cropsearch.validation;

import java.util.List;

/** An enrolment request that passed every check; its images are inspected bytes. */
public record ValidatedPerson(String name, List<SearchImage.Inline> images, String gender, String dateOfBirth,
                              String nationality, List<String> collections, String notes) {
    public ValidatedPerson {
        images = List.copyOf(images);
        collections = List.copyOf(collections);
    }
}
