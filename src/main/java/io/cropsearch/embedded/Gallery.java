package io.cropsearch.embedded;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cropsearch.config.CropSearchConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.Collectors;

/**
 * The embedded backend's enrolled persons and collections, in memory for search and on disk for restarts. Reads run
 * concurrently; changes are serialised and persisted before they are acknowledged.
 */
@ApplicationScoped
public class Gallery {
    private static final Logger LOG = Logger.getLogger(Gallery.class);
    private static final SecureRandom IDS = new SecureRandom();

    private final GalleryFile file;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<String, EnrolledPerson> persons = new LinkedHashMap<>();
    private final Map<String, FaceCollection> collections = new LinkedHashMap<>();
    private volatile boolean loaded;

    @jakarta.inject.Inject
    public Gallery(CropSearchConfig config, ObjectMapper json) {
        this(Path.of(config.embedded().galleryFile()), json);
    }

    Gallery(Path galleryFile, ObjectMapper json) {
        this.file = new GalleryFile(galleryFile, json);
    }

    /** A match of a search: a person and the distance of their closest enrolled image. */
    public record Match(Person person, double distance) {
    }

    public static String newId() {
        byte[] id = new byte[12];
        IDS.nextBytes(id);
        return HexFormat.of().formatHex(id);
    }

    public FaceCollection addCollection(String name, String description) {
        Instant now = Instant.now();
        FaceCollection collection = new FaceCollection(newId(), UUID.randomUUID().toString(), name, description, now, now);
        write(() -> collections.put(collection.id(), collection));
        return collection;
    }

    public List<FaceCollection> collections() {
        return read(() -> List.copyOf(collections.values()));
    }

    /** A collection by its {@code _id} or its {@code code}; Verifik's docs use both. */
    public Optional<FaceCollection> collection(String idOrCode) {
        return read(() -> collections.values().stream()
                .filter(c -> c.id().equals(idOrCode) || c.code().equals(idOrCode)).findFirst());
    }

    public Optional<Person> existing(String name, String dateOfBirth, List<String> inCollections) {
        return read(() -> persons.values().stream().map(EnrolledPerson::person)
                .filter(p -> p.name().equalsIgnoreCase(name) && java.util.Objects.equals(p.dateOfBirth(), dateOfBirth))
                .filter(p -> inCollections.isEmpty() || p.collections().stream().anyMatch(inCollections::contains))
                .findFirst());
    }

    public void enrol(EnrolledPerson person) {
        write(() -> persons.put(person.person().id(), person));
    }

    public Optional<Person> person(String id) {
        return read(() -> Optional.ofNullable(persons.get(id)).map(EnrolledPerson::person));
    }

    /** Removes the person, or only their membership of {@code collection} when one is given. */
    public Optional<Person> delete(String id, Optional<String> collection) {
        lock.writeLock().lock();
        try {
            ensureLoaded();
            EnrolledPerson existing = persons.get(id);
            if (existing == null) {
                return Optional.empty();
            }
            if (collection.isPresent()) {
                List<String> remaining = existing.person().collections().stream()
                        .filter(c -> !c.equals(collection.get())).toList();
                persons.put(id, new EnrolledPerson(existing.person().withCollections(remaining, Instant.now()),
                        existing.plain(), existing.mirrored()));
            } else {
                persons.remove(id);
            }
            persist();
            return Optional.of(existing.person());
        } finally {
            lock.writeLock().unlock();
        }
    }

    public record Page(List<Person> persons, int total) {
    }

    public Page page(int page, int limit, Optional<String> collection) {
        return read(() -> {
            List<Person> all = persons.values().stream().map(EnrolledPerson::person)
                    .filter(p -> collection.isEmpty() || p.collections().contains(collection.get())).toList();
            int from = Math.min(all.size(), (page - 1) * limit);
            return new Page(all.subList(from, Math.min(all.size(), from + limit)), all.size());
        });
    }

    /**
     * Persons ranked by their closest enrolled image to {@code query}, within {@code maxDistance}.
     *
     * @param mirrored compare against the enrolled mirror-averaged descriptors (ACCURATE) instead of the plain ones
     */
    public List<Match> nearest(float[] query, boolean mirrored, Optional<String> collectionId, double maxDistance,
                               int limit) {
        return read(() -> {
            List<Match> matches = new ArrayList<>();
            for (EnrolledPerson enrolled : persons.values()) {
                if (collectionId.isPresent() && !enrolled.person().collections().contains(collectionId.get())) {
                    continue;
                }
                double best = Double.MAX_VALUE;
                for (float[] descriptor : mirrored ? enrolled.mirrored() : enrolled.plain()) {
                    best = Math.min(best, distance(query, descriptor));
                }
                if (best <= maxDistance) {
                    matches.add(new Match(enrolled.person(), best));
                }
            }
            return matches.stream().sorted(Comparator.comparingDouble(Match::distance)).limit(limit)
                    .collect(Collectors.toList());
        });
    }

    /** The enrolled descriptors of one person (for re-ranking). */
    public List<float[]> descriptors(String personId, boolean mirrored) {
        return read(() -> {
            EnrolledPerson p = persons.get(personId);
            return p == null ? List.<float[]>of() : (mirrored ? p.mirrored() : p.plain());
        });
    }

    public int size() {
        return read(persons::size);
    }

    /** Euclidean distance with independent accumulators, so the loop pipelines. */
    static double distance(float[] a, float[] b) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i + 3 < a.length; i += 4) {
            float d0 = a[i] - b[i];
            float d1 = a[i + 1] - b[i + 1];
            float d2 = a[i + 2] - b[i + 2];
            float d3 = a[i + 3] - b[i + 3];
            s0 += d0 * d0;
            s1 += d1 * d1;
            s2 += d2 * d2;
            s3 += d3 * d3;
        }
        for (; i < a.length; i++) {
            float d = a[i] - b[i];
            s0 += d * d;
        }
        return Math.sqrt((double) s0 + s1 + s2 + s3);
    }

    private <T> T read(java.util.function.Supplier<T> action) {
        ensureLoadedUnderLock();
        lock.readLock().lock();
        try {
            return action.get();
        } finally {
            lock.readLock().unlock();
        }
    }

    private void write(Runnable change) {
        lock.writeLock().lock();
        try {
            ensureLoaded();
            change.run();
            persist();
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void persist() {
        file.save(collections.values(), persons.values());
    }

    private void ensureLoadedUnderLock() {
        if (!loaded) {
            lock.writeLock().lock();
            try {
                ensureLoaded();
            } finally {
                lock.writeLock().unlock();
            }
        }
    }

    private void ensureLoaded() {
        if (loaded) {
            return;
        }
        GalleryFile.Contents contents = file.load();
        contents.collections().forEach(c -> collections.put(c.id(), c));
        contents.persons().forEach(p -> persons.put(p.person().id(), p));
        loaded = true;
        LOG.infof("embedded gallery loaded: %d persons, %d collections", persons.size(), collections.size());
    }
}
