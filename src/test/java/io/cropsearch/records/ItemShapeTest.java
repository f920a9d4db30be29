package io.cropsearch.records;

import io.cropsearch.model.SearchStatus;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ItemShapeTest {

    @Test
    void s3RecordsAreKeyedByObjectVersionAndApiRecordsByRequest() {
        assertEquals(new RecordKey("OBJ#b/k k.png", "V#ver"),
                ItemShape.objectKey(new ObjectVersion("b", "k k.png", "ver", "etag", 1L)));
        assertEquals(new RecordKey("OBJ#b/k.png", "V#etag"),
                ItemShape.objectKey(new ObjectVersion("b", "k.png", null, "etag", 1L)));
        assertEquals(new RecordKey("OBJ#b/k.png", "V#null"),
                ItemShape.objectKey(new ObjectVersion("b", "k.png", null, null, null)));
        assertEquals(new RecordKey("REQ#req-9", "RESULT"),
                ItemShape.keyOf(JsonLinesResultSinkTest.apiRecord("req-9")));
    }

    @Test
    void indexKeysServeCollectionAndPersonQueries() {
        Map<String, AttributeValue> item = ItemShape.toItem(JsonLinesResultSinkTest.s3Record("x.png", SearchStatus.MATCHED));

        assertEquals("COL#staff", item.get(ItemShape.GSI1_PK).s());
        assertEquals("2026-11-25T20:00:00.000Z#id-x.png", item.get(ItemShape.GSI1_SK).s());
        assertEquals("PERSON#p1", item.get(ItemShape.GSI2_PK).s());
        assertEquals("2026-11-25T20:00:00.000Z", item.get(ItemShape.GSI2_SK).s(), "three fraction digits, even zero");
    }

    @Test
    void theFaceSearchedInEachQueryImageIsKeptWithItsBoxAndDetectionScore() {
        Map<String, AttributeValue> item = ItemShape.toItem(JsonLinesResultSinkTest.s3Record("f.png", SearchStatus.MATCHED));
        List<AttributeValue> faces = item.get("faces").l();
        assertEquals(1, faces.size());
        Map<String, AttributeValue> face = faces.get(0).m();
        assertEquals("0", face.get("image").n());
        assertEquals("0.91", face.get("detectionScore").n());
        assertEquals(Map.of("left", AttributeValue.fromN("12"), "top", AttributeValue.fromN("10"),
                "right", AttributeValue.fromN("108"), "bottom", AttributeValue.fromN("112")), face.get("box").m());
        assertFalse(ItemShape.toItem(JsonLinesResultSinkTest.s3Record("g.png", SearchStatus.NO_MATCH)).containsKey("faces"),
                "no face known, no attribute");
    }

    @Test
    void recordsWithoutATopMatchStayOutOfThePersonIndex() {
        Map<String, AttributeValue> item = ItemShape.toItem(JsonLinesResultSinkTest.s3Record("y.png", SearchStatus.SKIPPED));

        assertNull(item.get(ItemShape.GSI2_PK));
        assertNull(item.get("matches"));
        assertEquals("not_an_image_key", item.get("skipReason").s());
    }

    @Test
    void itemsOverTheBoundLoseTheirWorstMatchesFirst() {
        List<Match> matches = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            matches.add(new Match("p-" + i + "界".repeat(120), "名".repeat(128), 1.0 - i / 10_000.0,
                    List.of("t".repeat(128), "u".repeat(128), "v".repeat(128))));
        }
        ResultRecord base = JsonLinesResultSinkTest.s3Record("z.png", SearchStatus.MATCHED);
        ResultRecord big = new ResultRecord(base.id(), base.source(), base.status(), base.createdAt(),
                base.expiresAtEpochSeconds(), base.object(), base.params(), base.metadata(), matches, 5000,
                base.upstreamId(), base.signatureMessage(), base.signatureDateTime(), base.searchMillis(),
                base.totalMillis(), base.attempts(), base.deliveries(), null, null, base.faces());

        Map<String, AttributeValue> item = ItemShape.toItem(big);

        assertTrue(ItemShape.sizeOf(item) <= ItemShape.MAX_ITEM_BYTES);
        List<AttributeValue> kept = item.get("matches").l();
        assertFalse(kept.isEmpty());
        assertTrue(kept.get(0).m().get("personId").s().startsWith("p-0"));
        assertTrue(item.get("matchesTruncated").bool());
        assertEquals("5000", item.get("matchCount").n());
        assertTrue(item.get("topMatch").m().get("personId").s().startsWith("p-0"));
    }

    @Test
    void truncationNeverSplitsASurrogatePair() {
        String emoji = "😀".repeat(10);
        String cut = RecordFactory.truncate(emoji, 5);
        assertEquals(4, cut.length());
        assertTrue(Character.isSurrogatePair(cut.charAt(2), cut.charAt(3)));
    }
}
