package io.cropsearch.embedded;

import io.cropsearch.errors.ApiException;

import io.cropsearch.engine.face.FaceEmbedder;

import io.cropsearch.testing.DynaliteServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gallery in a DynamoDB table, against dynalite (the DynamoDB API on loopback): what one gallery enrols, a new
 * gallery on a new store instance (a restart, or another Lambda environment) reads back, descriptors bit for bit.
 * Small Scan pages make the load go through several pages.
 */
class DynamoDbGalleryStoreTest {
    private static final int SCAN_PAGE = 3;
    private static DynamoDbClient client;
    private final Random random = new Random(5);

    @BeforeAll
    static void server() {
        client = DynaliteServer.client();
    }

    @AfterAll
    static void close() {
        client.close();
    }

    private static String newTable() {
        String table = "gallery-" + Gallery.newId();
        client.createTable(DynamoDbGalleryStore.createTableRequest(table));
        // dynalite makes a new table ACTIVE a moment later, and refuses reads of it until then
        client.waiter().waitUntilTableExists(b -> b.tableName(table));
        return table;
    }

    private static Gallery restart(String table) {
        return new Gallery(new DynamoDbGalleryStore(client, table, SCAN_PAGE), Duration.ZERO);
    }

    @Test
    void aPersonEnrolledByTheOldPipelineIsRefusedWithAnInstructionNotMixedIn() {
        String table = newTable();
        Gallery gallery = restart(table);
        FaceCollection staff = gallery.addCollection("staff", null);
        EnrolledPerson p = person("enrolled before detection", List.of(staff.id()), 1);
        gallery.enrol(p);
        // what the previous release wrote: format 1, descriptors under its attribute names
        Map<String, AttributeValue> key = Map.of("pk", AttributeValue.fromS("PERSON#" + p.person().id()),
                "sk", AttributeValue.fromS("PROFILE"));
        Map<String, AttributeValue> old = new java.util.HashMap<>(client.getItem(b -> b.tableName(table).key(key)).item());
        old.put("format", AttributeValue.fromS("crop-search-gallery/1"));
        old.put("plain", old.remove("fast"));
        old.put("mirrored", old.remove("accurate"));
        client.putItem(b -> b.tableName(table).item(old));

        ApiException refused = assertThrows(ApiException.class,
                () -> restart(table).nearest(descriptor(), false, Optional.empty(), 1.0, 5));
        assertEquals(503, refused.status());
        assertEquals("GalleryOutdated", refused.code());
        assertTrue(refused.getMessage().contains("Re-enrol"), refused.getMessage());
        assertTrue(refused.getMessage().contains(table), "names the table: " + refused.getMessage());
    }

    @Test
    void enrolledPersonsAndCollectionsSurviveARestartBitForBit() {
        String table = newTable();
        Gallery gallery = restart(table);
        FaceCollection staff = gallery.addCollection("staff", "all staff");
        FaceCollection visitors = gallery.addCollection("visitors", null);
        List<EnrolledPerson> enrolled = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            EnrolledPerson p = person("person " + i, i % 2 == 0 ? List.of(staff.id(), visitors.id()) : List.of(),
                    1 + i % 3);
            gallery.enrol(p);
            enrolled.add(p);
        }
        // values a float32 round trip through a decimal or a lossy format would not keep
        float[] odd = descriptor();
        odd[0] = -0.0f;
        odd[1] = Float.MIN_VALUE;
        odd[2] = Float.intBitsToFloat(0x7fc00001);
        odd[3] = Math.nextUp(0.1f);
        EnrolledPerson edge = new EnrolledPerson(new Person(Gallery.newId(), "edge", null, null, null, List.of(), null,
                List.of(), Instant.now(), Instant.now()), List.of(odd), List.of(descriptor()));
        gallery.enrol(edge);
        enrolled.add(edge);

        Gallery reloaded = restart(table);
        assertEquals(gallery.collections(), reloaded.collections());
        assertEquals(gallery.page(1, 100, Optional.empty()), reloaded.page(1, 100, Optional.empty()),
                "the same persons, records equal, in enrolment order");
        for (EnrolledPerson p : enrolled) {
            assertEquals(Optional.of(p.person()), reloaded.person(p.person().id()));
            assertBitIdentical(p.fast(), reloaded.descriptors(p.person().id(), false));
            assertBitIdentical(p.accurate(), reloaded.descriptors(p.person().id(), true));
        }
        float[] query = enrolled.get(4).fast().get(0);
        assertEquals(gallery.nearest(query, false, Optional.empty(), 2, 5), reloaded.nearest(query, false, Optional.empty(), 2, 5));
        assertEquals(enrolled.get(4).person().id(),
                reloaded.nearest(query, false, Optional.of(staff.id()), 2, 1).get(0).person().id());
    }

    @Test
    void eachPersonAndCollectionIsOneItemKeyedForSingleTableUse() {
        String table = newTable();
        Gallery gallery = restart(table);
        FaceCollection staff = gallery.addCollection("staff", null);
        EnrolledPerson p = person("three images, no gender", List.of(staff.id()), 3);
        gallery.enrol(p);

        List<Map<String, AttributeValue>> items = client.scan(b -> b.tableName(table)).items();
        assertEquals(4, items.size(), "the person, the collection, the version counter and the enrolment claim");
        assertEquals(1, items.stream().filter(i -> i.get("pk").s().startsWith("CLAIMS#")).count());
        Map<String, AttributeValue> counter = client.getItem(b -> b.tableName(table).key(Map.of(
                "pk", AttributeValue.fromS("GALLERY"), "sk", AttributeValue.fromS("VERSION")))).item();
        assertEquals("2", counter.get("version").n(), "moved on once per change");
        Map<String, AttributeValue> item = client.getItem(b -> b.tableName(table).key(Map.of(
                "pk", AttributeValue.fromS("PERSON#" + p.person().id()), "sk", AttributeValue.fromS("PROFILE")))).item();
        assertEquals(3, item.get("fast").l().size());
        assertEquals(FaceEmbedder.DIMENSIONS * 4, item.get("fast").l().get(0).b().asByteArray().length);
        assertEquals(List.of(AttributeValue.fromS(staff.id())), item.get("collections").l());
        assertFalse(item.containsKey("gender"), "absent values are absent attributes, not nulls");
        int size = DynamoDbGalleryStore.itemBytes(item);
        assertTrue(size < 20_000, "three 64 px thumbnails and six descriptors: " + size + " bytes, far below 400 KB");
        assertTrue(client.getItem(b -> b.tableName(table).key(Map.of(
                "pk", AttributeValue.fromS("COLLECTION#" + staff.id()), "sk", AttributeValue.fromS("PROFILE")))).hasItem());
    }

    @Test
    void detachingAndDeletingReachTheTable() {
        String table = newTable();
        Gallery gallery = restart(table);
        FaceCollection staff = gallery.addCollection("staff", null);
        EnrolledPerson kept = person("kept", List.of(staff.id()), 2);
        EnrolledPerson detached = person("detached", List.of(staff.id()), 1);
        EnrolledPerson deleted = person("deleted", List.of(staff.id()), 3);
        List.of(kept, detached, deleted).forEach(gallery::enrol);

        assertTrue(gallery.delete(detached.person().id(), Optional.of(staff.id())).isPresent());
        assertTrue(gallery.delete(deleted.person().id(), Optional.empty()).isPresent());
        assertTrue(gallery.delete("no-such-person", Optional.empty()).isEmpty());

        Gallery reloaded = restart(table);
        assertEquals(2, reloaded.size());
        assertEquals(List.of(), reloaded.person(detached.person().id()).orElseThrow().collections());
        assertBitIdentical(detached.fast(), reloaded.descriptors(detached.person().id(), false));
        assertTrue(reloaded.person(deleted.person().id()).isEmpty());
        assertEquals(List.of(kept.person()), reloaded.page(1, 10, Optional.of(staff.id())).persons());
        assertEquals(4, client.scan(b -> b.tableName(table)).items().stream()
                        .filter(i -> !i.get("pk").s().startsWith("CLAIMS#")).count(),
                "two persons, the collection and the version counter: the deleted item is gone");
    }

    @Test
    void aChangeTheTableRefusesIsNotAppliedInMemory() {
        String table = newTable();
        Gallery gallery = restart(table);
        gallery.enrol(person("before", List.of(), 1));
        client.deleteTable(b -> b.tableName(table));
        EnrolledPerson lost = person("lost", List.of(), 1);
        assertThrows(IllegalStateException.class, () -> gallery.enrol(lost));
        assertTrue(gallery.person(lost.person().id()).isEmpty(), "not acknowledged, not searchable");
        assertEquals(1, gallery.size());
    }

    @Test
    void anItemOfAnotherFormatIsRefusedRatherThanMisread() {
        String table = newTable();
        client.putItem(b -> b.tableName(table).item(Map.of("pk", AttributeValue.fromS("PERSON#x"),
                "sk", AttributeValue.fromS("PROFILE"), "format", AttributeValue.fromS("crop-search-gallery/99"))));
        ApiException e = assertThrows(ApiException.class, () -> restart(table).size());
        assertEquals(503, e.status(), "the contract's 503, never a 500");
        assertEquals("GalleryOutdated", e.code());
        assertTrue(e.getMessage().contains("crop-search-gallery/99") && e.getMessage().contains("PERSON#x"),
                e.getMessage());
    }

    /** Two Lambda environments on one table: each sees the other's changes at its next read, reloading only then. */
    @Test
    void aChangeMadeThroughAnotherEnvironmentIsSeenAtTheNextCheck() {
        String table = newTable();
        Gallery here = restart(table);
        Gallery elsewhere = restart(table);
        FaceCollection staff = here.addCollection("staff", null);
        EnrolledPerson ana = person("ana", List.of(staff.id()), 1);
        here.enrol(ana);
        assertEquals(0, here.reloads(), "its own changes need no reload");

        assertEquals("ana", elsewhere.person(ana.person().id()).orElseThrow().name());
        assertTrue(elsewhere.collection(staff.id()).isPresent());
        int reloadsBefore = elsewhere.reloads();
        assertEquals("ana", elsewhere.nearest(ana.fast().get(0), false, Optional.empty(), 0.1, 1).get(0).person()
                .name(), "found by a search");
        assertEquals(reloadsBefore, elsewhere.reloads(), "nothing changed since its load: no reload");

        EnrolledPerson bo = person("bo", List.of(), 2);
        elsewhere.enrol(bo);
        assertTrue(here.person(bo.person().id()).isPresent(), "enrolled elsewhere, found here");
        assertEquals(1, here.reloads());
        assertBitIdentical(bo.fast(), here.descriptors(bo.person().id(), false));

        here.delete(ana.person().id(), Optional.empty());
        assertTrue(elsewhere.person(ana.person().id()).isEmpty(), "deleted here, gone elsewhere");
        assertTrue(elsewhere.nearest(ana.fast().get(0), false, Optional.empty(), 0.1, 1).isEmpty());
    }

    /** A change checks the table first, whatever the interval: a detachment must not write back a deleted person. */
    @Test
    void aChangeIsNeverDecidedOnAStaleCopy() {
        String table = newTable();
        Gallery here = restart(table);
        FaceCollection staff = here.addCollection("staff", null);
        EnrolledPerson dan = person("dan", List.of(staff.id()), 1);
        here.enrol(dan);
        Gallery slow = new Gallery(new DynamoDbGalleryStore(client, table, SCAN_PAGE), Duration.ofHours(1));
        assertTrue(slow.person(dan.person().id()).isPresent());

        here.delete(dan.person().id(), Optional.empty());
        assertTrue(slow.person(dan.person().id()).isPresent(), "reads within the hour serve the loaded copy");
        assertTrue(slow.delete(dan.person().id(), Optional.of(staff.id())).isEmpty(), "deleted elsewhere: not found");
        assertTrue(restart(table).person(dan.person().id()).isEmpty(), "and not written back");
    }

    /** With an interval, a read between checks serves what is loaded without asking the table. */
    @Test
    void checksAreSpacedByTheRefreshInterval() {
        String table = newTable();
        Gallery here = restart(table);
        Gallery patient = new Gallery(new DynamoDbGalleryStore(client, table, SCAN_PAGE), Duration.ofHours(1));
        assertEquals(0, patient.size());
        here.enrol(person("cy", List.of(), 1));
        assertEquals(0, patient.size(), "within the hour nothing is checked");
        assertEquals(1, here.size());
    }

    private static void assertBitIdentical(List<float[]> expected, List<float[]> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(bits(expected.get(i)), bits(actual.get(i)));
        }
    }

    private static int[] bits(float[] d) {
        int[] out = new int[d.length];
        for (int i = 0; i < d.length; i++) {
            out[i] = Float.floatToRawIntBits(d[i]);
        }
        return out;
    }

    private EnrolledPerson person(String name, List<String> collections, int images) {
        List<float[]> fast = new ArrayList<>();
        List<float[]> accurate = new ArrayList<>();
        List<Thumbnail> thumbnails = new ArrayList<>();
        for (int i = 0; i < images; i++) {
            fast.add(descriptor());
            accurate.add(descriptor());
            byte[] jpeg = new byte[3000];
            random.nextBytes(jpeg);
            thumbnails.add(new Thumbnail(Gallery.newId(), Base64.getEncoder().encodeToString(jpeg)));
        }
        Instant now = Instant.now();
        Person person = new Person(Gallery.newId(), name, name.contains("no gender") ? null : "F", "1990-01-15", "CO",
                collections, "notes of " + name, thumbnails, now, now);
        return new EnrolledPerson(person, fast, accurate);
    }

    private float[] descriptor() {
        float[] d = new float[FaceEmbedder.DIMENSIONS];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) (random.nextGaussian() * 0.12);
        }
        return d;
    }
}
