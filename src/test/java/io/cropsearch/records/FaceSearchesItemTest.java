package io.cropsearch.records;

import io.cropsearch.model.SearchStatus;
import io.cropsearch.search.ProbeFace;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The item of an all-faces record: one entry per face in {@code faceSearches} with its face and matches, and the whole
 * item within {@link ItemShape#MAX_ITEM_BYTES} however many faces and matches there are (each face's matches halved
 * with the record's own, every face kept). A plain unit test: no application.
 */
class FaceSearchesItemTest {

    private static ResultRecord record(int faces, int matchesPerFace) {
        List<FaceSearch> searches = new ArrayList<>();
        List<ProbeFace> probes = new ArrayList<>();
        List<Match> all = new ArrayList<>();
        for (int f = 0; f < faces; f++) {
            ProbeFace face = new ProbeFace(0, 0.9 - f * 0.01, 10 * f, 20, 10 * f + 50, 80);
            probes.add(face);
            List<Match> matches = new ArrayList<>();
            for (int m = 0; m < matchesPerFace; m++) {
                matches.add(new Match("person-" + f + "-" + m + "-" + "x".repeat(100), "n".repeat(128),
                        0.99 - m * 0.001, List.of("t".repeat(128), "u".repeat(128))));
            }
            all.addAll(matches);
            searches.add(new FaceSearch(face, matches, matchesPerFace + 5));
        }
        all.sort((a, b) -> Double.compare(b.score(), a.score()));
        Instant now = Instant.parse("2026-11-30T05:00:00Z");
        return new ResultRecord("rec-1", Source.S3, all.isEmpty() ? SearchStatus.NO_MATCH : SearchStatus.MATCHED, now,
                now.getEpochSecond() + 3600, new ObjectVersion("bucket", "photos/group.jpg", "v1", "etag", 1000L),
                new SearchParams(null, null, 0.8, "FAST", 1), Map.of("all-faces", "true"), all, all.size(), "U1",
                null, null, 5L, 9L, 0, 1, null, null, probes, "search", searches);
    }

    @Test
    void eachFaceIsStoredWithItsOwnMatches() {
        Map<String, AttributeValue> item = ItemShape.toItem(record(3, 2));
        assertEquals("search", item.get("endpoint").s());
        List<AttributeValue> searches = item.get("faceSearches").l();
        assertEquals(3, searches.size());
        Map<String, AttributeValue> second = searches.get(1).m();
        assertEquals("10", second.get("face").m().get("box").m().get("left").n());
        assertEquals(2, second.get("matches").l().size());
        assertTrue(second.get("matches").l().get(0).m().get("personId").s().startsWith("person-1-0-"));
        assertEquals("7", second.get("matchCount").n());
        assertTrue(second.get("matchesTruncated").bool());
        assertEquals(3, item.get("faces").l().size());
    }

    @Test
    void manyFacesWithManyMatchesStayWithinTheBoundAndKeepEveryFace() {
        ResultRecord huge = record(40, 100);
        Map<String, AttributeValue> item = ItemShape.toItem(huge);
        int size = ItemShape.sizeOf(item);
        assertTrue(size <= ItemShape.MAX_ITEM_BYTES, "item size " + size);
        List<AttributeValue> searches = item.get("faceSearches").l();
        assertEquals(40, searches.size(), "every face is kept; only matches are dropped");
        for (int f = 0; f < searches.size(); f++) {
            Map<String, AttributeValue> one = searches.get(f).m();
            assertEquals("105", one.get("matchCount").n(), "the count before capping stays");
            assertTrue(one.get("matchesTruncated").bool());
            List<AttributeValue> kept = one.get("matches").l();
            assertTrue(kept.size() < 100);
            if (!kept.isEmpty()) {
                assertTrue(kept.get(0).m().get("personId").s().startsWith("person-" + f + "-0-"), "best first");
            }
        }
        assertFalse(item.get("matches").l().size() == huge.matches().size(), "the record's own matches halved too");
    }
}
