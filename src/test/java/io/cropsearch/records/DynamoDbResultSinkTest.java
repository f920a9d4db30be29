package io.cropsearch.records;

import io.cropsearch.model.SearchStatus;
import io.cropsearch.records.sink.DynamoDbResultSink;
import io.cropsearch.records.sink.ResultSink;
import io.cropsearch.records.sink.SinkUnavailableException;
import io.cropsearch.testing.DynaliteServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.cropsearch.records.JsonLinesResultSinkTest.s3Record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The table sink's duplicate path against dynalite (a real DynamoDB API): a repeated delivery of the same S3 object
 * version writes nothing over a final record, a FAILED record is replaced by the next delivery, and concurrent
 * deliveries store one record. The same rule as {@link JsonLinesResultSinkTest}, enforced here by the conditional
 * PutItem rather than by an index in memory.
 */
class DynamoDbResultSinkTest {
    private static final String TABLE = "sink-duplicates";
    private static DynamoDbClient client;

    @BeforeAll
    static void server() {
        DynaliteServer.createTable(TABLE);
        client = DynaliteServer.client();
    }

    @AfterAll
    static void close() {
        client.close();
    }

    @ParameterizedTest
    @EnumSource(value = SearchStatus.class, names = "FAILED", mode = EnumSource.Mode.EXCLUDE)
    void aRepeatedDeliveryOverAFinalRecordIsADuplicateAndWritesNothing(SearchStatus finalStatus) {
        DynamoDbResultSink sink = new DynamoDbResultSink(client, TABLE);
        String key = unique("final.png");
        ResultRecord first = delivery(s3Record(key, finalStatus), "first", 1);

        assertEquals(ResultSink.WriteOutcome.WRITTEN, sink.write(first));
        assertEquals(ResultSink.WriteOutcome.DUPLICATE, sink.write(delivery(s3Record(key, SearchStatus.MATCHED), "second", 2)));
        assertEquals(ResultSink.WriteOutcome.DUPLICATE, sink.write(delivery(s3Record(key, SearchStatus.FAILED), "third", 3)),
                "not even a failure replaces a final record");

        Map<String, AttributeValue> stored = item(first);
        assertEquals("first", stored.get("recordId").s(), "the first record is the one kept");
        assertEquals(finalStatus.name(), stored.get(ItemShape.STATUS).s());
        StoredRecord found = sink.find(ItemShape.keyOf(first)).orElseThrow();
        assertEquals(finalStatus, found.status());
        assertEquals(1, found.deliveries());
    }

    @Test
    void aFailedRecordIsReplacedByTheNextDeliveryAndThatOneStays() {
        DynamoDbResultSink sink = new DynamoDbResultSink(client, TABLE);
        String key = unique("retried.png");
        ResultRecord failed = delivery(s3Record(key, SearchStatus.FAILED), "failed", 1);

        assertEquals(ResultSink.WriteOutcome.WRITTEN, sink.write(failed));
        assertEquals(ResultSink.WriteOutcome.WRITTEN, sink.write(delivery(s3Record(key, SearchStatus.FAILED), "failed-again", 2)),
                "a failure over a failure: still replaceable");
        assertEquals(ResultSink.WriteOutcome.WRITTEN, sink.write(delivery(s3Record(key, SearchStatus.MATCHED), "matched", 3)));
        assertEquals(ResultSink.WriteOutcome.DUPLICATE, sink.write(delivery(s3Record(key, SearchStatus.MATCHED), "late", 4)));

        assertEquals("matched", item(failed).get("recordId").s());
        StoredRecord found = sink.find(ItemShape.keyOf(failed)).orElseThrow();
        assertEquals(SearchStatus.MATCHED, found.status());
        assertEquals(3, found.deliveries());
    }

    @Test
    void anotherVersionOfTheSameObjectIsANewRecord() {
        DynamoDbResultSink sink = new DynamoDbResultSink(client, TABLE);
        String key = unique("versioned.png");
        ResultRecord v1 = s3Record(key, SearchStatus.MATCHED);
        ResultRecord base = s3Record(key, SearchStatus.NO_MATCH);
        ResultRecord v2 = new ResultRecord("v2", base.source(), base.status(), base.createdAt(), base.expiresAtEpochSeconds(),
                new ObjectVersion(base.object().bucket(), key, null, "etag-of-v2", 99L), base.params(), base.metadata(),
                base.matches(), base.matchCount(), base.upstreamId(), base.signatureMessage(), base.signatureDateTime(),
                base.searchMillis(), base.totalMillis(), base.attempts(), base.deliveries(), base.failure(),
                base.skipReason(), base.faces());

        assertEquals(ResultSink.WriteOutcome.WRITTEN, sink.write(v1));
        assertEquals(ResultSink.WriteOutcome.WRITTEN, sink.write(v2));
        assertEquals(SearchStatus.MATCHED, sink.find(ItemShape.keyOf(v1)).orElseThrow().status());
        assertEquals(SearchStatus.NO_MATCH, sink.find(ItemShape.keyOf(v2)).orElseThrow().status());
    }

    /** At-least-once delivery can run the same object version in two environments at once: one record. */
    @Test
    void concurrentDeliveriesOfOneObjectVersionStoreOneRecord() throws Exception {
        int deliveries = 8;
        String key = unique("concurrent.png");
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(deliveries);
        try {
            List<Future<ResultSink.WriteOutcome>> outcomes = new ArrayList<>();
            for (int i = 0; i < deliveries; i++) {
                ResultRecord record = delivery(s3Record(key, SearchStatus.MATCHED), "delivery-" + i, i + 1);
                DynamoDbResultSink sink = new DynamoDbResultSink(client, TABLE);
                outcomes.add(pool.submit(() -> {
                    start.await();
                    return sink.write(record);
                }));
            }
            start.countDown();
            List<ResultSink.WriteOutcome> results = new ArrayList<>();
            for (Future<ResultSink.WriteOutcome> f : outcomes) {
                results.add(f.get(60, TimeUnit.SECONDS));
            }
            assertEquals(1, results.stream().filter(r -> r == ResultSink.WriteOutcome.WRITTEN).count(), results.toString());
            assertEquals(deliveries - 1, results.stream().filter(r -> r == ResultSink.WriteOutcome.DUPLICATE).count());
        } finally {
            pool.shutdownNow();
        }
    }

    /** A table that cannot be reached is a transient failure (the invocation is retried), never taken for a duplicate. */
    @Test
    void aMissingTableIsUnavailableNotADuplicate() {
        DynamoDbResultSink sink = new DynamoDbResultSink(client, "no-such-table-" + UUID.randomUUID());
        ResultRecord record = s3Record(unique("lost.png"), SearchStatus.MATCHED);
        assertThrows(SinkUnavailableException.class, () -> sink.write(record));
        assertThrows(SinkUnavailableException.class, () -> sink.find(ItemShape.keyOf(record)));
    }

    private static Map<String, AttributeValue> item(ResultRecord record) {
        RecordKey key = ItemShape.keyOf(record);
        return client.getItem(b -> b.tableName(TABLE).consistentRead(true).key(Map.of(
                ItemShape.PK, AttributeValue.fromS(key.pk()), ItemShape.SK, AttributeValue.fromS(key.sk())))).item();
    }

    /** The same object version delivered again: another record id, another delivery count. */
    private static ResultRecord delivery(ResultRecord r, String id, int deliveries) {
        return new ResultRecord(id, r.source(), r.status(), r.createdAt(), r.expiresAtEpochSeconds(), r.object(), r.params(),
                r.metadata(), r.matches(), r.matchCount(), r.upstreamId(), r.signatureMessage(), r.signatureDateTime(),
                r.searchMillis(), r.totalMillis(), r.attempts(), deliveries, r.failure(), r.skipReason(), r.faces());
    }

    private static String unique(String name) {
        return UUID.randomUUID() + "/" + name;
    }
}
