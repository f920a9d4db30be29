package io.cropsearch.embedded;

import java.time.Instant;

/** A named group of persons; searches may be restricted to one by its {@code _id} or its {@code code}. */
public record FaceCollection(String id, String code, String name, String description, Instant createdAt,
                             Instant updatedAt) {
}
