package io.cropsearch.embedded;

import io.cropsearch.engine.index.GalleryIndex;

import io.cropsearch.engine.face.FaceEmbedder;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@link Gallery#nearest} through the index must give exactly what the linear scan gives: the same persons, in the
 * same order, with the same distances, whatever the gallery went through. Descriptors are random but shaped like the
 * network's (components of about 0.12, norm about 1.4), with persons of one to three images around a centre, queries
 * near enrolled persons and far from everyone, and persons sharing descriptors so that distances tie.
 */
class GalleryIndexedSearchTest {
    private static final int DIMS = FaceEmbedder.DIMENSIONS;
    private static final double[] MAX_DISTANCES = {0.3, 0.45, 0.6, 1.0, 1.6, Double.MAX_VALUE};
    private static final int[] LIMITS = {1, 2, 5, 10, 30, 200};

    private final Random random = new Random(20261125);

    @Test
    void indexedSearchIsTheScanAcrossEnrolmentsDetachmentsAndDeletions() {
        Gallery gallery = new Gallery(new MemoryStore(), Duration.ZERO);
        FaceCollection staff = gallery.addCollection("staff", null);
        List<EnrolledPerson> enrolled = new ArrayList<>();
        for (int i = 0; i < 1500; i++) {
            EnrolledPerson p = randomPerson(i % 3 == 0 ? List.of(staff.id()) : List.of());
            gallery.enrol(p);
            enrolled.add(p);
        }
        // several persons enrolled with the very same images: equal distances, ranked by enrolment order
        for (int i = 0; i < 20; i++) {
            EnrolledPerson twin = enrolled.get(random.nextInt(enrolled.size()));
            EnrolledPerson copy = new EnrolledPerson(person(List.of()), twin.fast(), twin.accurate());
            gallery.enrol(copy);
            enrolled.add(copy);
        }
        assertSameAsScan(gallery, enrolled, staff, 24);
        assertTrue(gallery.indexed(), "the searches above went through the index");

        for (int i = 0; i < 400; i++) {
            String id = enrolled.get(random.nextInt(enrolled.size())).person().id();
            gallery.delete(id, random.nextBoolean() ? Optional.of(staff.id()) : Optional.empty());
        }
        for (int i = 0; i < 300; i++) {
            EnrolledPerson p = randomPerson(List.of(staff.id()));
            gallery.enrol(p);
            enrolled.add(p);
        }
        assertSameAsScan(gallery, enrolled, staff, 24);
    }

    @Test
    void theReloadedGallerySearchesLikeTheOriginal() {
        MemoryStore store = new MemoryStore();
        Gallery gallery = new Gallery(store, Duration.ZERO);
        List<EnrolledPerson> enrolled = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            EnrolledPerson p = randomPerson(List.of());
            gallery.enrol(p);
            enrolled.add(p);
        }
        Gallery reloaded = new Gallery(store, Duration.ZERO);
        for (int q = 0; q < 50; q++) {
            float[] query = nearSomeone(enrolled);
            assertEquals(ids(gallery.scan(query, false, Optional.empty(), 1.0, 10)),
                    ids(reloaded.nearest(query, false, Optional.empty(), 1.0, 10)));
        }
    }

    @Test
    void anEmptyGalleryAndAZeroLimitFindNoOne() {
        Gallery gallery = new Gallery(new MemoryStore(), Duration.ZERO);
        assertTrue(gallery.nearest(descriptor(), false, Optional.empty(), 10, 5).isEmpty());
        gallery.enrol(randomPerson(List.of()));
        assertTrue(gallery.nearest(descriptor(), false, Optional.empty(), 10, 0).isEmpty());
        assertEquals(1, gallery.nearest(descriptor(), true, Optional.empty(), Double.MAX_VALUE, 5).size());
    }

    /**
     * The index path is exact only while the index's distances stay within {@link Gallery#INDEX_SLACK} of the
     * gallery's; a coarser index (say 8-bit codes) must fail here rather than silently drop matches.
     */
    @Test
    void indexDistancesStayWellWithinTheSlackTheGalleryAllowsFor() {
        GalleryIndex index = new GalleryIndex();
        List<float[]> all = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            float[] d = descriptor();
            index.add(i, d);
            all.add(d);
        }
        double worst = 0;
        for (int q = 0; q < 30; q++) {
            float[] query = q % 2 == 0 ? descriptor() : jitter(all.get(random.nextInt(all.size())), 0.03);
            for (GalleryIndex.Match m : index.search(query, 200)) {
                worst = Math.max(worst, Math.abs(m.distance() - Gallery.distance(query, all.get(m.id()))));
            }
        }
        assertTrue(worst < Gallery.INDEX_SLACK / 4, "index distance error " + worst);
    }

    /** Figures for docs/EMBEDDED-STORAGE.md: {@code ./mvnw test -Dtest=GalleryIndexedSearchTest -Dgallery.bench=true}. */
    @Test
    void benchmarkScanAgainstIndexAtOneHundredThousandPersons() {
        assumeTrue(Boolean.getBoolean("gallery.bench"), "set -Dgallery.bench=true to measure");
        int persons = Integer.getInteger("gallery.bench.persons", 100_000);
        Gallery gallery = new Gallery(new MemoryStore(), Duration.ZERO);
        GalleryIndex bare = new GalleryIndex();
        List<EnrolledPerson> enrolled = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < persons; i++) {
            float[] d = descriptor();
            EnrolledPerson p = new EnrolledPerson(person(List.of()), List.of(d), List.of(d));
            gallery.enrol(p);
            enrolled.add(p);
            bare.add(i, d);
        }
        System.out.printf("enrolled %d persons (1 image each) in %d ms%n", persons, (System.nanoTime() - t0) / 1_000_000);
        List<float[]> queries = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            queries.add(i % 2 == 0 ? descriptor() : jitter(enrolled.get(random.nextInt(persons)).fast().get(0), 0.03));
        }
        for (int round = 0; round < 4; round++) {
            double raw = time(() -> queries.forEach(q -> bare.search(q, 26, 1.002f)));
            double scan = time(() -> queries.forEach(q -> gallery.scan(q, false, Optional.empty(), 1.0, 10)));
            double index = time(() -> queries.forEach(q -> gallery.nearest(q, false, Optional.empty(), 1.0, 10)));
            double scanWide = time(() -> queries.forEach(q -> gallery.scan(q, false, Optional.empty(), 2.0, 10)));
            double indexWide = time(() -> queries.forEach(q -> gallery.nearest(q, false, Optional.empty(), 2.0, 10)));
            System.out.printf("round %d, ms per search of %d persons, top 10: bare GalleryIndex.search %.2f;"
                            + " max distance 1.0 scan %.2f index %.2f; max distance 2.0 scan %.2f index %.2f%n",
                    round, persons, raw / queries.size(), scan / queries.size(),
                    index / queries.size(), scanWide / queries.size(), indexWide / queries.size());
        }
        for (float[] q : queries.subList(0, 20)) {
            assertEquals(ids(gallery.scan(q, false, Optional.empty(), 2.0, 10)),
                    ids(gallery.nearest(q, false, Optional.empty(), 2.0, 10)));
        }
    }

    private void assertSameAsScan(Gallery gallery, List<EnrolledPerson> enrolled, FaceCollection collection,
                                  int queries) {
        int compared = 0;
        int nonEmpty = 0;
        for (int q = 0; q < queries; q++) {
            float[] query = q % 4 == 3 ? descriptor() : nearSomeone(enrolled);
            for (boolean accurate : new boolean[] {false, true}) {
                for (double maxDistance : MAX_DISTANCES) {
                    for (int limit : LIMITS) {
                        for (Optional<String> in : List.of(Optional.<String>empty(), Optional.of(collection.id()))) {
                            List<Gallery.Match> expected = gallery.scan(query, accurate, in, maxDistance, limit);
                            List<Gallery.Match> actual = gallery.nearest(query, accurate, in, maxDistance, limit);
                            String what = "query " + q + " accurate " + accurate + " max " + maxDistance + " limit "
                                    + limit + " in " + in;
                            assertEquals(ids(expected), ids(actual), what);
                            for (int i = 0; i < expected.size(); i++) {
                                assertEquals(expected.get(i).distance(), actual.get(i).distance(), 0.0, what);
                            }
                            compared++;
                            nonEmpty += expected.isEmpty() ? 0 : 1;
                        }
                    }
                }
            }
        }
        assertTrue(nonEmpty > compared / 2, "most searches find someone: " + nonEmpty + " of " + compared);
        assertFalse(gallery.scan(nearSomeone(enrolled), false, Optional.empty(), 0.45, 5).isEmpty());
    }

    private static List<String> ids(List<Gallery.Match> matches) {
        return matches.stream().map(m -> m.person().id()).toList();
    }

    private float[] nearSomeone(List<EnrolledPerson> enrolled) {
        EnrolledPerson p = enrolled.get(random.nextInt(enrolled.size()));
        return jitter(p.fast().get(random.nextInt(p.fast().size())), 0.025);
    }

    private EnrolledPerson randomPerson(List<String> collections) {
        float[] centre = descriptor();
        int images = 1 + random.nextInt(3);
        List<float[]> fast = new ArrayList<>();
        List<float[]> accurate = new ArrayList<>();
        for (int i = 0; i < images; i++) {
            float[] d = jitter(centre, 0.03);
            fast.add(d);
            accurate.add(jitter(d, 0.01));
        }
        return new EnrolledPerson(person(collections), fast, accurate);
    }

    private static Person person(List<String> collections) {
        Instant now = Instant.now();
        // a name of its own: the gallery refuses a second enrolment of the same name and date of birth
        return new Person(Gallery.newId(), "p " + Gallery.newId(), null, null, null, collections, null, List.of(), now, now);
    }

    private float[] descriptor() {
        float[] d = new float[DIMS];
        for (int i = 0; i < DIMS; i++) {
            d[i] = (float) (random.nextGaussian() * 0.12);
        }
        return d;
    }

    private float[] jitter(float[] d, double sigma) {
        float[] out = new float[DIMS];
        for (int i = 0; i < DIMS; i++) {
            out[i] = (float) (d[i] + random.nextGaussian() * sigma);
        }
        return out;
    }

    private static double time(Runnable r) {
        long t = System.nanoTime();
        r.run();
        return (System.nanoTime() - t) / 1e6;
    }

    /** A store that keeps everything in memory, so a second gallery on it is a restart. */
    static final class MemoryStore implements GalleryStore {
        private final java.util.Map<String, FaceCollection> collections = new java.util.LinkedHashMap<>();
        private final java.util.Map<String, EnrolledPerson> persons = new java.util.LinkedHashMap<>();

        @Override
        public Contents load() {
            return new Contents(List.copyOf(collections.values()), List.copyOf(persons.values()));
        }

        @Override
        public void putCollection(FaceCollection collection) {
            collections.put(collection.id(), collection);
        }

        @Override
        public void putPerson(EnrolledPerson person) {
            persons.put(person.person().id(), person);
        }

        @Override
        public void deletePerson(String personId) {
            persons.remove(personId);
        }

        @Override
        public String describe() {
            return "memory";
        }
    }
}
