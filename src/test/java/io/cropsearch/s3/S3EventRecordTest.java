package io.cropsearch.s3;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cropsearch.records.ObjectVersion;
import io.cropsearch.testing.S3Events;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reading S3 notification records: keys decoded the way S3 encodes them, every field that keys a record. */
class S3EventRecordTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void keysAreFormDecoded() {
        assertEquals("a b.png", S3EventRecord.decodeKey("a+b.png"));
        assertEquals("a b.png", S3EventRecord.decodeKey("a%20b.png"));
        assertEquals("a+b.png", S3EventRecord.decodeKey("a%2Bb.png"));
        assertEquals("顔/ünï 😀.png", S3EventRecord.decodeKey("%E9%A1%94/%C3%BCn%C3%AF+%F0%9F%98%80.png"));
        assertEquals("dir/x.png", S3EventRecord.decodeKey("dir/x.png"));
    }

    @Test
    void aKeyThatIsNotValidEncodingIsTakenAsItIs() {
        assertEquals("100%.png", S3EventRecord.decodeKey("100%.png"));
    }

    @Test
    void recordsCarryTheObjectVersion() throws Exception {
        String event = S3Events.event().created("bkt", "x y.png", 42, "etag1", "ver1")
                .record("ObjectRemoved:Delete", "bkt", "gone.png", null, null, null)
                .foreign("aws:sqs").json();

        List<S3EventRecord> records = S3EventRecord.parse(JSON.readTree(event).get("Records"));

        assertEquals(3, records.size());
        assertEquals(new ObjectVersion("bkt", "x y.png", "ver1", "etag1", 42L), records.get(0).object());
        assertTrue(records.get(0).isS3() && records.get(0).isObjectCreated());
        assertFalse(records.get(1).isObjectCreated());
        assertNull(records.get(1).object().size());
        assertFalse(records.get(2).isS3());
        assertNull(records.get(2).object());
    }
}
