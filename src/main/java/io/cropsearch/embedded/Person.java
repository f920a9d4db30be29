package io.cropsearch.embedded;

import java.time.Instant;
import java.util.List;

/** An enrolled person as the persons API shows it (face descriptors are never part of it). */
public record Person(
        String id,
        String name,
        String gender,
        String dateOfBirth,
        String nationality,
        List<String> collections,
        String notes,
        List<Thumbnail> thumbnails,
        Instant createdAt,
        Instant updatedAt) {

    public Person {
        collections = List.copyOf(collections);
        thumbnails = List.copyOf(thumbnails);
    }

    Person withCollections(List<String> newCollections, Instant now) {
        return new Person(id, name, gender, dateOfBirth, nationality, newCollections, notes, thumbnails, createdAt, now);
    }
}
