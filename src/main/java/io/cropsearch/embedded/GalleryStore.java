package io.cropsearch.embedded;

import java.util.List;

/**
 * Where the embedded gallery outlives the process. {@link Gallery} holds everything in memory and reads the store
 * once at start; afterwards it reports each change, and a change is acknowledged to the caller only once the store
 * has it. Implementations need not be thread-safe: the gallery calls them under its write lock.
 */
public interface GalleryStore {

    /** Everything stored, persons in the order they were first enrolled. */
    Contents load();

    /** Adds or replaces a collection. */
    void putCollection(FaceCollection collection);

    /** Adds or replaces a person with their descriptors. */
    void putPerson(EnrolledPerson person);

    void deletePerson(String personId);

    /** Where the data lives, for the start-up log line. */
    String describe();

    record Contents(List<FaceCollection> collections, List<EnrolledPerson> persons) {
        public Contents {
            collections = List.copyOf(collections);
            persons = List.copyOf(persons);
        }
    }
}
