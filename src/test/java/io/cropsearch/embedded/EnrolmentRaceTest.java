package io.cropsearch.embedded;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cropsearch.engine.face.FaceEmbedder;
import io.cropsearch.testing.DynaliteServer;
import io.cropsearch.validation.ValidatedPerson;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Concurrent enrolments of one person (same name up to case, same date of birth, a shared collection): exactly one is
 * stored, every other gets Verifik's 412 ({@link Enrolment.AlreadyEnrolled}) naming the one stored. In one process
 * on the file store, and across Lambda environments (several galleries, several store instances) on one table in
 * dynalite.
 */
class EnrolmentRaceTest {
    private static final int RACERS = 8;
    private static final String[] SPELLINGS = {"Ana María Pérez", "ANA MARÍA PÉREZ", "ana maría pérez", "Ana María PÉREZ"};
    private static DynamoDbClient client;
    private final Random random = new Random(11);

    @TempDir
    Path dir;

    @BeforeAll
    static void server() {
        client = DynaliteServer.client();
    }

    @AfterAll
    static void close() {
        client.close();
    }

    @Test
    void concurrentEnrolmentsOnTheFileStoreStoreExactlyOne() throws Exception {
        Path file = dir.resolve("gallery.json");
        Gallery gallery = new Gallery(new FileGalleryStore(file, new ObjectMapper()), Duration.ZERO);
        FaceCollection staff = gallery.addCollection("staff", null);

        List<Outcome> outcomes = race(i -> gallery, staff.id());

        Person winner = assertExactlyOneWon(outcomes);
        assertEquals(1, gallery.size());
        Gallery restarted = new Gallery(new FileGalleryStore(file, new ObjectMapper()), Duration.ZERO);
        assertEquals(List.of(winner), restarted.page(1, 10, Optional.empty()).persons(), "the file holds the winner only");
    }

    /**
     * Through the real {@link Enrolment}, face pipeline included: every racer passes the early duplicate check while
     * the others' pipelines run, so only the check at insert time can refuse them.
     */
    @Test
    void concurrentEnrolmentsThroughTheFacePipelineStoreExactlyOne() throws Exception {
        Gallery gallery = new Gallery(new FileGalleryStore(dir.resolve("pipeline.json"), new ObjectMapper()),
                Duration.ZERO);
        Enrolment enrolment = new Enrolment(gallery, EvaluationGallery.config());
        FaceCollection staff = gallery.addCollection("staff", null);
        int racers = 4;
        List<ValidatedPerson> requests = new ArrayList<>();
        for (int i = 0; i < racers; i++) {
            requests.add(new ValidatedPerson(SPELLINGS[i], List.of(EvaluationGallery.inline(Crops.bytes("sample1-face1"))),
                    "F", "1990-01-15", "CO", List.of(i % 2 == 0 ? staff.id() : staff.code()), null));
        }
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        try {
            List<Future<Outcome>> futures = new ArrayList<>();
            for (ValidatedPerson request : requests) {
                futures.add(pool.submit(() -> {
                    start.await();
                    try {
                        return new Outcome(enrolment.enrol(request), null);
                    } catch (Enrolment.AlreadyEnrolled e) {
                        return new Outcome(null, e.existing());
                    }
                }));
            }
            start.countDown();
            List<Outcome> outcomes = new ArrayList<>();
            for (Future<Outcome> f : futures) {
                outcomes.add(f.get(120, TimeUnit.SECONDS));
            }
            Person winner = assertExactlyOneWon(outcomes);
            assertEquals(List.of(winner), gallery.page(1, 10, Optional.empty()).persons());
        } finally {
            pool.shutdownNow();
        }
    }

    /** Two Lambda environments on one table, enrolling the same person at the same moment. */
    @Test
    void concurrentEnrolmentsThroughTwoEnvironmentsOnOneTableStoreExactlyOne() throws Exception {
        String table = newTable();
        Gallery first = tableGallery(table);
        FaceCollection staff = first.addCollection("staff", null);
        Gallery second = tableGallery(table);
        // both loaded (the collection known) before the race: each environment's own copy says "nobody enrolled yet"
        assertTrue(second.collection(staff.id()).isPresent());
        assertEquals(0, first.size());

        List<Outcome> outcomes = race(i -> i % 2 == 0 ? first : second, staff.id());

        Person winner = assertExactlyOneWon(outcomes);
        assertEquals(List.of("PERSON#" + winner.id()), personItems(table), "one person item in the table");
        assertEquals(List.of(winner), tableGallery(table).page(1, 10, Optional.empty()).persons());
    }

    /** As many store instances as racers: each its own Lambda environment, none with a gallery in front of it. */
    @Test
    void concurrentConditionalWritesFromManyEnvironmentsLetExactlyOneIn() throws Exception {
        String table = newTable();
        String staff = Gallery.newId();
        List<EnrolledPerson> candidates = new ArrayList<>();
        for (int i = 0; i < RACERS; i++) {
            candidates.add(person(SPELLINGS[i % SPELLINGS.length], "1990-01-15", List.of(staff)));
        }
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(RACERS);
        try {
            List<Future<Outcome>> futures = new ArrayList<>();
            for (EnrolledPerson candidate : candidates) {
                DynamoDbGalleryStore store = new DynamoDbGalleryStore(client, table);
                futures.add(pool.submit(() -> {
                    start.await();
                    try {
                        store.enrolPerson(candidate);
                        return new Outcome(candidate.person(), null);
                    } catch (Enrolment.AlreadyEnrolled e) {
                        return new Outcome(null, e.existing());
                    }
                }));
            }
            start.countDown();
            List<Outcome> outcomes = new ArrayList<>();
            for (Future<Outcome> f : futures) {
                outcomes.add(f.get(60, TimeUnit.SECONDS));
            }
            Person winner = assertExactlyOneWon(outcomes);
            assertEquals(List.of("PERSON#" + winner.id()), personItems(table));
        } finally {
            pool.shutdownNow();
        }
    }

    /** Deterministic: an environment whose copy is stale is refused by the table itself. */
    @Test
    void theTableRefusesAnEnrolmentAnotherEnvironmentMadeFirst() {
        String table = newTable();
        String staff = Gallery.newId();
        EnrolledPerson first = person("Bo Lind", "1980-02-29", List.of(staff));
        new DynamoDbGalleryStore(client, table).enrolPerson(first);

        EnrolledPerson again = person("BO LIND", "1980-02-29", List.of("other", staff));
        Enrolment.AlreadyEnrolled refused = assertThrows(Enrolment.AlreadyEnrolled.class,
                () -> new DynamoDbGalleryStore(client, table).enrolPerson(again));
        assertEquals(first.person(), refused.existing());
        assertEquals(List.of("PERSON#" + first.person().id()), personItems(table));
    }

    @Test
    void theDuplicateRuleIsTheSameOnTheFileAndInTheTable() {
        Gallery gallery = new Gallery(new FileGalleryStore(dir.resolve("rule.json"), new ObjectMapper()), Duration.ZERO);
        String a = gallery.addCollection("a", null).id();
        String b = gallery.addCollection("b", null).id();
        theDuplicateRuleHolds(gallery::enrol, a, b);
        assertEquals(6, gallery.size());

        // the table's own check: every enrolment through a store of its own, with no gallery's copy in front of it
        String table = newTable();
        theDuplicateRuleHolds(p -> new DynamoDbGalleryStore(client, table).enrolPerson(p), a, b);
        assertEquals(6, personItems(table).size());
    }

    private void theDuplicateRuleHolds(Consumer<EnrolledPerson> enrol, String a, String b) {
        EnrolledPerson inA = person("Cy Ode", "1970-05-05", List.of(a));
        enrol.accept(inA);

        // another collection, another date of birth, no date of birth: different persons
        enrol.accept(person("Cy Ode", "1970-05-05", List.of(b)));
        enrol.accept(person("cy ode", "1970-05-06", List.of(a)));
        enrol.accept(person("Cy Ode", null, List.of(a)));
        assertEquals(inA.person(), assertThrows(Enrolment.AlreadyEnrolled.class,
                () -> enrol.accept(person("CY ODE", "1970-05-05", List.of(b, a)))).existing());
        // an enrolment into no collection clashes with anyone of that name and date of birth
        assertThrows(Enrolment.AlreadyEnrolled.class, () -> enrol.accept(person("CY ODE", "1970-05-05", List.of())));
        // while a person in no collection blocks only another enrolment into no collection
        enrol.accept(person("Di Fa", null, List.of()));
        enrol.accept(person("Di Fa", null, List.of(a)));
        assertThrows(Enrolment.AlreadyEnrolled.class, () -> enrol.accept(person("di fa", null, List.of())));
    }

    @Test
    void aDeletedPersonCanBeEnrolledAgainAtOnceAndADetachedOneElsewhere() {
        String table = newTable();
        Gallery gallery = tableGallery(table);
        FaceCollection staff = gallery.addCollection("staff", null);
        EnrolledPerson ed = person("Ed Gu", "1991-01-01", List.of(staff.id()));
        gallery.enrol(ed);
        gallery.delete(ed.person().id(), Optional.empty());

        long started = System.nanoTime();
        EnrolledPerson again = person("Ed Gu", "1991-01-01", List.of(staff.id()));
        new DynamoDbGalleryStore(client, table).enrolPerson(again);
        assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(DynamoDbGalleryStore.PENDING) < 0,
                "the deletion released the claim: no wait for it to expire");

        // a detachment leaves a claim wider than the person: the person item decides, so it does not block
        Gallery elsewhere = tableGallery(table);
        elsewhere.delete(again.person().id(), Optional.of(staff.id()));
        EnrolledPerson third = person("ED GU", "1991-01-01", List.of(staff.id()));
        new DynamoDbGalleryStore(client, table).enrolPerson(third);
        assertEquals(2, tableGallery(table).size());
    }

    /** An enrolment that claimed and then died before its person item: its claim expires rather than blocking. */
    @Test
    void aClaimLeftByAFailedEnrolmentExpires() {
        String table = newTable();
        String staff = Gallery.newId();
        Map<String, AttributeValue> item = new HashMap<>(DynamoDbGalleryStore.claimsKey("Fa Ho", "2000-12-31"));
        item.put("format", AttributeValue.fromS(DynamoDbGalleryStore.CLAIMS_FORMAT));
        item.put("revision", AttributeValue.fromN("1"));
        item.put("claims", AttributeValue.fromL(List.of(AttributeValue.fromM(Map.of(
                "personId", AttributeValue.fromS("never-stored"),
                "collections", AttributeValue.fromL(List.of(AttributeValue.fromS(staff))),
                "claimedAt", AttributeValue.fromS(Instant.now().minus(DynamoDbGalleryStore.PENDING.multipliedBy(2))
                        .toString()))))));
        client.putItem(b -> b.tableName(table).item(item));

        EnrolledPerson fa = person("Fa Ho", "2000-12-31", List.of(staff));
        new DynamoDbGalleryStore(client, table).enrolPerson(fa);
        assertEquals(List.of("PERSON#" + fa.person().id()), personItems(table));
        List<AttributeValue> claims = client.getItem(b -> b.tableName(table)
                .key(DynamoDbGalleryStore.claimsKey("Fa Ho", "2000-12-31"))).item().get("claims").l();
        assertEquals(List.of(fa.person().id()), claims.stream().map(c -> c.m().get("personId").s()).toList(),
                "the dead claim dropped, the new one in");
    }

    // ---------------------------------------------------------------------------------------------------- helpers

    private record Outcome(Person enrolled, Person refusedFor) {
    }

    /** {@value #RACERS} enrolments of one person released at once by a latch, each through {@code galleryOf(i)}. */
    private List<Outcome> race(Function<Integer, Gallery> galleryOf, String collection) throws Exception {
        CountDownLatch ready = new CountDownLatch(RACERS);
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(RACERS);
        try {
            List<Future<Outcome>> futures = new ArrayList<>();
            for (int i = 0; i < RACERS; i++) {
                Gallery gallery = galleryOf.apply(i);
                EnrolledPerson candidate = person(SPELLINGS[i % SPELLINGS.length], "1990-01-15", List.of(collection));
                futures.add(pool.submit(() -> {
                    // what Enrolment does first: the quick check, then the slow pipeline, then the insert
                    assertTrue(gallery.existing(candidate.person().name(), "1990-01-15", List.of(collection)).isEmpty());
                    ready.countDown();
                    start.await();
                    try {
                        gallery.enrol(candidate);
                        return new Outcome(candidate.person(), null);
                    } catch (Enrolment.AlreadyEnrolled e) {
                        return new Outcome(null, e.existing());
                    }
                }));
            }
            assertTrue(ready.await(30, TimeUnit.SECONDS), "every racer passed the early check");
            start.countDown();
            List<Outcome> outcomes = new ArrayList<>();
            for (Future<Outcome> f : futures) {
                outcomes.add(f.get(60, TimeUnit.SECONDS));
            }
            return outcomes;
        } finally {
            pool.shutdownNow();
        }
    }

    private static Person assertExactlyOneWon(List<Outcome> outcomes) {
        List<Person> won = outcomes.stream().map(Outcome::enrolled).filter(p -> p != null).toList();
        assertEquals(1, won.size(), "exactly one enrolment stored: " + won.stream().map(Person::id).toList());
        for (Outcome o : outcomes) {
            if (o.enrolled() == null) {
                assertEquals(won.get(0).id(), o.refusedFor().id(), "the 412 names the one stored");
            }
        }
        return won.get(0);
    }

    private static String newTable() {
        String table = "gallery-race-" + Gallery.newId();
        client.createTable(DynamoDbGalleryStore.createTableRequest(table));
        client.waiter().waitUntilTableExists(b -> b.tableName(table));
        return table;
    }

    private static Gallery tableGallery(String table) {
        return new Gallery(new DynamoDbGalleryStore(client, table), Duration.ZERO);
    }

    private static List<String> personItems(String table) {
        return client.scan(b -> b.tableName(table).consistentRead(true)).items().stream().map(i -> i.get("pk").s())
                .filter(pk -> pk.startsWith("PERSON#")).toList();
    }

    private EnrolledPerson person(String name, String dateOfBirth, List<String> collections) {
        Instant now = Instant.now();
        Person person = new Person(Gallery.newId(), name, "F", dateOfBirth, "CO", collections, null, List.of(), now, now);
        return new EnrolledPerson(person, List.of(descriptor()), List.of(descriptor()));
    }

    private synchronized float[] descriptor() {
        float[] d = new float[FaceEmbedder.DIMENSIONS];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) (random.nextGaussian() * 0.12);
        }
        return d;
    }
}
