package io.cropsearch.embedded;

import io.cropsearch.engine.index.GalleryIndex;

import io.cropsearch.config.CropSearchConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * The embedded backend's enrolled persons and collections, in memory for search and in a {@link GalleryStore} for
 * restarts. Reads run concurrently; changes are serialised, and each is in the store before it is applied in memory
 * and acknowledged.
 *
 * <p>Searches over the whole gallery go through one {@link GalleryIndex} per search mode (FAST and ACCURATE descriptors),
 * one entry per enrolled image; the index yields candidates and every candidate person is then scored here exactly as
 * the linear scan scores them, so results are the scan's, order and distances alike. Searches within a collection
 * use the scan.
 */
@ApplicationScoped
public class Gallery {
    private static final Logger LOG = Logger.getLogger(Gallery.class);
    /**
     * How far an index distance may be from {@link #distance}: float summation order, and quantised codes if the index
     * stores them (16-bit codes with a step of 2^-14 move a 128-d distance by at most 2 x sqrt(128) x 2^-15 = 7e-4).
     * Anything nearer than an index hit minus this is certain to be among the hits.
     */
    static final double INDEX_SLACK = 2e-3;

    private final GalleryStore store;
    private final Duration refreshInterval;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<String, Entry> persons = new LinkedHashMap<>();
    private final Map<String, FaceCollection> collections = new LinkedHashMap<>();
    private final Map<Integer, String> imageOwners = new HashMap<>();
    private GalleryIndex fastIndex = new GalleryIndex();
    private GalleryIndex accurateIndex = new GalleryIndex();
    private boolean indexUsable = true;
    private int nextImageId;
    private long nextSeq;
    private int maxImagesPerPerson = 1;
    private volatile boolean loaded;
    /** The shared store's version that the in-memory state reflects; -1 when the store has none. */
    private volatile long loadedVersion = -1;
    private volatile long nextVersionCheckNanos;
    private volatile int reloads;
    /** Changes this process made; a reload read while one landed is stale and is not swapped in. */
    private volatile long ownChanges;

    @Inject
    public Gallery(GalleryStore store, CropSearchConfig config) {
        this(store, config.embedded().galleryRefresh());
    }

    /** @param refreshInterval how often a shared store's version is checked before a read (zero: every read) */
    public Gallery(GalleryStore store, Duration refreshInterval) {
        this.store = store;
        this.refreshInterval = refreshInterval;
    }

    /** A match of a search: a person and the distance of their closest enrolled image. */
    public record Match(Person person, double distance) {
    }

    public record Page(List<Person> persons, int total) {
    }

    /**
     * An enrolled person as held here: {@code seq} is the enrolment order, which breaks distance ties the way the scan's
     * stable sort does; {@code imageIds} are the person's entries in both indexes.
     */
    private record Entry(EnrolledPerson enrolled, long seq, int[] imageIds) {
        Person person() {
            return enrolled.person();
        }
    }

    private record Scored(Entry entry, double distance) {
        static final Comparator<Scored> ORDER = Comparator.comparingDouble(Scored::distance)
                .thenComparingLong(s -> s.entry().seq());
    }

    /**
     * 24 hex digits, 96 random bits from {@link UUID#randomUUID()} (a SecureRandom the JDK holds, which a native image
     * seeds at run time). No SecureRandom of our own in a static field: Quarkus initialises application classes at
     * native build time, and GraalVM refuses a Random in the image heap (a seed fixed at build time).
     */
    public static String newId() {
        UUID uuid = UUID.randomUUID();
        // The 48 high bits of the first half and the 48 low bits of the second are random; version and variant are not.
        return String.format(Locale.ROOT, "%012x%012x", uuid.getMostSignificantBits() >>> 16,
                uuid.getLeastSignificantBits() & 0xFFFF_FFFF_FFFFL);
    }

    public FaceCollection addCollection(String name, String description) {
        Instant now = Instant.now();
        FaceCollection collection = new FaceCollection(newId(), UUID.randomUUID().toString(), name, description, now, now);
        write(() -> {
            store.putCollection(collection);
            collections.put(collection.id(), collection);
        });
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

    /**
     * An enrolled person that an enrolment of {@code name} and {@code dateOfBirth} into {@code inCollections} would
     * duplicate (Verifik's 412 {@code person_already_set}). A quick answer before the slow face pipeline; the binding
     * check is the one {@link #enrol} makes again at insert time.
     */
    public Optional<Person> existing(String name, String dateOfBirth, List<String> inCollections) {
        return read(() -> duplicateOf(name, dateOfBirth, inCollections));
    }

    private Optional<Person> duplicateOf(String name, String dateOfBirth, List<String> inCollections) {
        String folded = foldCase(name);
        return persons.values().stream().map(Entry::person)
                .filter(p -> foldCase(p.name()).equals(folded) && Objects.equals(p.dateOfBirth(), dateOfBirth))
                .filter(p -> clashes(p.collections(), inCollections))
                .findFirst();
    }

    /**
     * The duplicate rule's collection part, the one place it is written (the table store applies it too): a person in
     * {@code heldIn} blocks an enrolment into {@code enrollingIn} when they share a collection, and an enrolment into
     * no collection is blocked by anyone of the same name and date of birth.
     */
    static boolean clashes(List<String> heldIn, List<String> enrollingIn) {
        return enrollingIn.isEmpty() || heldIn.stream().anyMatch(enrollingIn::contains);
    }

    /**
     * The name as the duplicate rule compares it: {@link String#equalsIgnoreCase} equates two code points exactly when
     * their lower case of upper case is equal, so this folding gives equal strings for exactly those names, and can
     * serve as a key (the table store hashes it).
     */
    static String foldCase(String name) {
        StringBuilder folded = new StringBuilder(name.length());
        name.codePoints().map(cp -> Character.toLowerCase(Character.toUpperCase(cp))).forEach(folded::appendCodePoint);
        return folded.toString();
    }

    /**
     * Adds a new person unless the duplicate rule ({@link #existing}) refuses them, checked again here under the write
     * lock, so that of two concurrent enrolments of the same person exactly one is stored; the other gets
     * {@link Enrolment.AlreadyEnrolled}. A store shared by several processes (the table) makes the same check
     * atomically across them ({@link GalleryStore#enrolPerson}). The slow part, the face pipeline, ran before: the lock
     * is held only for the check and the write.
     */
    public void enrol(EnrolledPerson person) {
        write(() -> {
            Person p = person.person();
            Optional<Person> duplicate = duplicateOf(p.name(), p.dateOfBirth(), p.collections());
            if (duplicate.isPresent()) {
                throw new Enrolment.AlreadyEnrolled(duplicate.get());
            }
            store.enrolPerson(person);
            add(person);
        });
    }

    public Optional<Person> person(String id) {
        return read(() -> Optional.ofNullable(persons.get(id)).map(Entry::person));
    }

    /** Removes the person, or only their membership of {@code collection} when one is given. */
    public Optional<Person> delete(String id, Optional<String> collection) {
        return write(() -> {
            Entry existing = persons.get(id);
            if (existing == null) {
                return Optional.empty();
            }
            if (collection.isPresent()) {
                List<String> remaining = existing.person().collections().stream()
                        .filter(c -> !c.equals(collection.get())).toList();
                EnrolledPerson detached = new EnrolledPerson(existing.person().withCollections(remaining, Instant.now()),
                        existing.enrolled().fast(), existing.enrolled().accurate());
                store.putPerson(detached);
                // same descriptors: the index entries stay
                persons.put(id, new Entry(detached, existing.seq(), existing.imageIds()));
            } else {
                store.deletePerson(existing.person());
                remove(existing);
            }
            return Optional.of(existing.person());
        });
    }

    public Page page(int page, int limit, Optional<String> collection) {
        return read(() -> {
            List<Person> all = persons.values().stream().map(Entry::person)
                    .filter(p -> collection.isEmpty() || p.collections().contains(collection.get())).toList();
            // In long: an int product of a far page and a large limit wraps around to a negative offset.
            int from = (int) Math.min(all.size(), (page - 1L) * limit);
            return new Page(all.subList(from, Math.min(all.size(), from + limit)), all.size());
        });
    }

    /**
     * Persons ranked by their closest enrolled image to {@code query}, within {@code maxDistance}; equal distances
     * keep enrolment order.
     *
     * @param accurate compare against the enrolled ACCURATE descriptors instead of the FAST ones
     */
    public List<Match> nearest(float[] query, boolean accurate, Optional<String> collectionId, double maxDistance,
                               int limit) {
        return read(() -> {
            if (limit <= 0) {
                return List.of();
            }
            if (collectionId.isEmpty() && indexUsable) {
                try {
                    return matches(viaIndex(query, accurate, maxDistance, limit), limit);
                } catch (IllegalArgumentException refusedQuery) {
                    // a query the index cannot encode (wrong length, out-of-range norm) is still one the scan can score
                    LOG.debugf("gallery index refused the query, scanning: %s", refusedQuery.getMessage());
                }
            }
            return matches(scanScored(query, accurate, collectionId, maxDistance), limit);
        });
    }

    /** {@link #nearest} by a linear scan over every person: the reference the index path must agree with. */
    List<Match> scan(float[] query, boolean accurate, Optional<String> collectionId, double maxDistance, int limit) {
        return read(() -> matches(scanScored(query, accurate, collectionId, maxDistance), limit));
    }

    private List<Scored> scanScored(float[] query, boolean accurate, Optional<String> collectionId, double maxDistance) {
        List<Scored> scored = new ArrayList<>();
        for (Entry entry : persons.values()) {
            if (collectionId.isPresent() && !entry.person().collections().contains(collectionId.get())) {
                continue;
            }
            double best = closest(query, entry, accurate);
            if (best <= maxDistance) {
                scored.add(new Scored(entry, best));
            }
        }
        scored.sort(Scored.ORDER);
        return scored;
    }

    /**
     * Top persons through the index: ask for enough images to cover {@code limit} persons, score the persons owning
     * them exactly, and stop once nobody outside those can rank among the first {@code limit}: everything the index
     * left out is at least its farthest hit minus {@link #INDEX_SLACK} away. Otherwise ask for four times as many.
     */
    private List<Scored> viaIndex(float[] query, boolean accurate, double maxDistance, int limit) {
        GalleryIndex index = accurate ? accurateIndex : fastIndex;
        int total = index.size();
        if (total == 0) {
            return List.of();
        }
        float radius = (float) (maxDistance + INDEX_SLACK);
        int k = (int) Math.min(total, (long) limit * maxImagesPerPerson + 16);
        while (true) {
            List<GalleryIndex.Match> hits = index.search(query, k, radius);
            Map<String, Entry> candidates = new LinkedHashMap<>();
            for (GalleryIndex.Match hit : hits) {
                String owner = imageOwners.get(hit.id());
                candidates.putIfAbsent(owner, persons.get(owner));
            }
            List<Scored> scored = new ArrayList<>(candidates.size());
            for (Entry entry : candidates.values()) {
                double best = closest(query, entry, accurate);
                if (best <= maxDistance) {
                    scored.add(new Scored(entry, best));
                }
            }
            scored.sort(Scored.ORDER);
            // Fewer hits than asked for means every image within the radius was returned.
            boolean complete = hits.size() < k || k >= total;
            if (!complete) {
                double unseen = hits.get(k - 1).distance() - INDEX_SLACK;
                complete = unseen > maxDistance || (scored.size() >= limit && scored.get(limit - 1).distance() < unseen);
            }
            if (complete) {
                return scored;
            }
            k = (int) Math.min(total, k * 4L);
        }
    }

    private static double closest(float[] query, Entry entry, boolean accurate) {
        double best = Double.MAX_VALUE;
        for (float[] descriptor : accurate ? entry.enrolled().accurate() : entry.enrolled().fast()) {
            best = Math.min(best, distance(query, descriptor));
        }
        return best;
    }

    private static List<Match> matches(List<Scored> scored, int limit) {
        return scored.stream().limit(Math.max(0, limit)).map(s -> new Match(s.entry().person(), s.distance())).toList();
    }

    /** The enrolled descriptors of one person (for re-ranking). */
    public List<float[]> descriptors(String personId, boolean accurate) {
        return read(() -> {
            Entry p = persons.get(personId);
            return p == null ? List.<float[]>of() : (accurate ? p.enrolled().accurate() : p.enrolled().fast());
        });
    }

    /** Whether unfiltered searches go through the index (false once it refused a descriptor). */
    boolean indexed() {
        return read(() -> indexUsable);
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

    // ------------------------------------------------------------------------------------------- in-memory state

    private void add(EnrolledPerson person) {
        Entry previous = persons.get(person.person().id());
        long seq = previous != null ? previous.seq() : nextSeq++;
        if (previous != null) {
            unindex(previous);
        }
        int[] imageIds = new int[person.fast().size()];
        for (int i = 0; i < imageIds.length; i++) {
            imageIds[i] = nextImageId++;
            imageOwners.put(imageIds[i], person.person().id());
            if (indexUsable) {
                try {
                    fastIndex.add(imageIds[i], person.fast().get(i));
                    accurateIndex.add(imageIds[i], person.accurate().get(i));
                } catch (IllegalArgumentException refused) {
                    // the index takes only descriptors it can encode; the scan serves every search from now on
                    indexUsable = false;
                    LOG.warnf("gallery index disabled, searches scan: person %s: %s", person.person().id(),
                            refused.getMessage());
                }
            }
        }
        maxImagesPerPerson = Math.max(maxImagesPerPerson, imageIds.length);
        persons.put(person.person().id(), new Entry(person, seq, imageIds));
    }

    private void remove(Entry entry) {
        unindex(entry);
        persons.remove(entry.person().id());
    }

    private void unindex(Entry entry) {
        for (int imageId : entry.imageIds()) {
            imageOwners.remove(imageId);
            fastIndex.remove(imageId);
            accurateIndex.remove(imageId);
        }
    }

    private <T> T read(Supplier<T> action) {
        ensureLoadedUnderLock();
        reloadIfChangedElsewhere();
        lock.readLock().lock();
        try {
            return action.get();
        } finally {
            lock.readLock().unlock();
        }
    }

    private void write(Runnable change) {
        write(() -> {
            change.run();
            return null;
        });
    }

    private <T> T write(Supplier<T> change) {
        lock.writeLock().lock();
        try {
            ensureLoaded();
            // A change is decided on what is in memory (does the person exist, which collections): with a shared
            // store, catch up with other processes first, or a detachment could write back a person deleted elsewhere.
            catchUpBeforeChange();
            T result = change.get();
            ownChanges++;
            // Our own change moved the version by one: nothing to reload. Any other step means another process
            // changed the store too, and the next check reloads.
            OptionalLong after = store.versionAfterLastChange();
            if (after.isPresent() && after.getAsLong() == loadedVersion + 1) {
                loadedVersion = after.getAsLong();
            }
            return result;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Each Lambda environment holds its own copy of a shared (table) gallery: at most once per refresh interval a
     * read checks the store's version, and reloads everything when another environment changed it. A failed check
     * keeps serving what is loaded; searches do not fail because the version could not be read.
     */
    private void reloadIfChangedElsewhere() {
        if (loadedVersion < 0 || System.nanoTime() - nextVersionCheckNanos < 0) {
            return;
        }
        nextVersionCheckNanos = System.nanoTime() + refreshInterval.toNanos();
        OptionalLong current;
        try {
            current = store.version();
        } catch (RuntimeException e) {
            LOG.warnf("gallery version check failed, serving the loaded gallery: %s", e.getMessage());
            return;
        }
        if (current.isEmpty() || current.getAsLong() == loadedVersion) {
            return;
        }
        // Read outside the lock, so searches go on during the Scan; rebuild and swap under it. A failed reload keeps
        // the old gallery. The version was read before the contents, as a load must.
        long started = System.nanoTime();
        long changesBefore = ownChanges;
        long version = current.getAsLong();
        GalleryStore.Contents contents;
        try {
            contents = store.load();
        } catch (RuntimeException e) {
            LOG.warnf("gallery reload failed, serving the loaded gallery: %s", e.getMessage());
            return;
        }
        lock.writeLock().lock();
        try {
            if (ownChanges != changesBefore || version <= loadedVersion) {
                // A change of ours (or another reload) landed meanwhile: this snapshot may lack it. Check again soon.
                nextVersionCheckNanos = System.nanoTime();
                return;
            }
            replaceWith(version, contents);
        } finally {
            lock.writeLock().unlock();
        }
        LOG.infof("embedded gallery reloaded (changed elsewhere, version %d): %d persons in %d ms", version,
                contents.persons().size(), (System.nanoTime() - started) / 1_000_000);
    }

    /** Under the write lock: reload now if the shared store moved on, whatever the refresh interval. */
    private void catchUpBeforeChange() {
        if (loadedVersion < 0) {
            return;
        }
        long version = store.version().orElse(-1);
        if (version != loadedVersion) {
            replaceWith(version, store.load());
        }
    }

    private void replaceWith(long version, GalleryStore.Contents contents) {
        clear();
        apply(version, contents);
        reloads++;
    }

    /** How often this gallery reloaded because another process changed the store. */
    int reloads() {
        return reloads;
    }

    private void clear() {
        persons.clear();
        collections.clear();
        imageOwners.clear();
        fastIndex = new GalleryIndex();
        accurateIndex = new GalleryIndex();
        indexUsable = true;
        nextImageId = 0;
        nextSeq = 0;
        maxImagesPerPerson = 1;
    }

    private void apply(long version, GalleryStore.Contents contents) {
        contents.collections().forEach(c -> collections.put(c.id(), c));
        contents.persons().forEach(this::add);
        loadedVersion = version;
        nextVersionCheckNanos = System.nanoTime() + refreshInterval.toNanos();
        loaded = true;
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

    /**
     * Loads the gallery now unless it is loaded already, so that the first search does not pay for it (see
     * {@link GalleryPreload}). A failure propagates; the gallery then stays unloaded and the next use tries again.
     */
    public void preload() {
        ensureLoadedUnderLock();
    }

    private void ensureLoaded() {
        if (loaded) {
            return;
        }
        long started = System.nanoTime();
        // The version before the contents: a change made during the load then shows as a newer version later.
        long version = store.version().orElse(-1);
        apply(version, store.load());
        LOG.infof("embedded gallery loaded from %s: %d persons, %d collections in %d ms", store.describe(),
                persons.size(), collections.size(), (System.nanoTime() - started) / 1_000_000);
    }
}
