package io.cropsearch.embedded;

import java.util.List;
import java.util.OptionalLong;

/**
 * Where the embedded gallery outlives the process. {@link Gallery} holds everything in memory and reads the store
 * at start (and again when a shared store's {@link #version()} shows another process's change); afterwards it reports
 * each change, and a change is acknowledged to the caller only once the store has it. Changes are called under the
 * gallery's write lock, one at a time; {@link #version()} and {@link #load()} may also run outside it, concurrently with
 * a change, and must be safe to.
 */
public interface GalleryStore {

    /** Everything stored, persons in the order they were first enrolled. */
    Contents load();

    /** Adds or replaces a collection. */
    void putCollection(FaceCollection collection);

    /** Adds or replaces a person with their descriptors. */
    void putPerson(EnrolledPerson person);

    void deletePerson(String personId);

    /**
     * Adds a person just enrolled, whom the gallery found no duplicate of in what it holds. A store that several
     * processes share must check the duplicate rule again atomically with the write and throw
     * {@link Enrolment.AlreadyEnrolled} when another process enrolled the same person first; a store only this process
     * writes needs nothing beyond the gallery's own check, made under its write lock.
     */
    default void enrolPerson(EnrolledPerson person) {
        putPerson(person);
    }

    /** Removes a person; the whole person is given so that a shared store can release what their enrolment claimed. */
    default void deletePerson(Person person) {
        deletePerson(person.id());
    }

    /** Where the data lives, for the start-up log line. */
    String describe();

    /**
     * A number that every change by any process moves on, for stores that several processes share (the table: each
     * Lambda environment holds its own copy of the gallery). Empty for a store only this process writes (the file).
     */
    default OptionalLong version() {
        return OptionalLong.empty();
    }

    /** The version this process's last change moved the store to; empty when unknown or not versioned. */
    default OptionalLong versionAfterLastChange() {
        return OptionalLong.empty();
    }

    record Contents(List<FaceCollection> collections, List<EnrolledPerson> persons) {
        public Contents {
            collections = List.copyOf(collections);
            persons = List.copyOf(persons);
        }
    }
}
