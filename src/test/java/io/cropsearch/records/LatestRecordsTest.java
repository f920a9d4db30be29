package io.cropsearch.records;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cropsearch.model.SearchStatus;
import io.cropsearch.records.sink.DynamoDbResultSink;
import io.cropsearch.records.sink.JsonLinesResultSink;
import io.cropsearch.records.sink.ResultSink;
import io.cropsearch.records.sink.SinkUnavailableException;
import io.cropsearch.testing.DynaliteServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ResultSink#latest} of both sinks, held to the same answers: the JSON-lines file (read backwards, bounded) and
 * a real DynamoDB API (dynalite: a Query on the byCollection index). Collection partition, {@code since}, limit,
 * newest-first order, a FAILED record replaced by a later delivery, and what a summary carries.
 */
class LatestRecordsTest {
    private static final String TABLE = "latest-" + UUID.randomUUID();
    private static final Instant T0 = Instant.parse("2026-11-30T06:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static DynamoDbClient client;

    @TempDir
    static Path dir;

    @BeforeAll
    static void server() {
        DynaliteServer.createTable(TABLE);
        client = DynaliteServer.client();
    }

    @AfterAll
    static void close() {
        client.close();
    }

    private static ResultSink sink(String kind) {
        return switch (kind) {
            case "jsonl" -> new JsonLinesResultSink(dir.resolve(UUID.randomUUID() + ".jsonl"));
            case "dynamodb" -> new DynamoDbResultSink(client, TABLE);
            default -> throw new IllegalArgumentException(kind);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"jsonl", "dynamodb"})
    void aCollectionsRecordsNewestFirstUpToTheLimit(String kind) {
        ResultSink sink = sink(kind);
        String a = "col-a-" + UUID.randomUUID();
        String b = "col-b-" + UUID.randomUUID();
        for (int i = 0; i < 5; i++) {
            sink.write(api("a" + i, a, T0.plusSeconds(i), "person-" + i, 0.9));
            sink.write(api("b" + i, b, T0.plusSeconds(i).plusMillis(500), "other-" + i, 0.8));
        }

        List<RecordSummary> all = sink.latest(new RecordQuery(a, null, 20));
        assertEquals(List.of("a4", "a3", "a2", "a1", "a0"), ids(all), "only collection a, newest first");
        assertEquals(List.of("a4", "a3"), ids(sink.latest(new RecordQuery(a, null, 2))), "the limit keeps the newest");
        assertEquals(List.of("b4"), ids(sink.latest(new RecordQuery(b, null, 1))));
        assertEquals(List.of(), ids(sink.latest(new RecordQuery("col-none-" + UUID.randomUUID(), null, 20))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"jsonl", "dynamodb"})
    void sinceIsInclusiveAtMillisecondPrecision(String kind) {
        ResultSink sink = sink(kind);
        String c = "col-since-" + UUID.randomUUID();
        // Whole seconds on purpose: Instant.toString() would store them without a fraction, which used to sort after
        // every later millisecond of the same second.
        for (int i = 0; i < 5; i++) {
            sink.write(api("s" + i, c, T0.plusSeconds(i), "p", 0.9));
        }
        sink.write(api("s2.5", c, T0.plusSeconds(2).plusMillis(500), "p", 0.9));

        assertEquals(List.of("s4", "s3", "s2.5", "s2"), ids(sink.latest(new RecordQuery(c, T0.plusSeconds(2), 20))));
        assertEquals(List.of("s4", "s3", "s2.5"), ids(sink.latest(new RecordQuery(c, T0.plusSeconds(2).plusNanos(1), 20))),
                "a record of 06:00:02.000 is not since 06:00:02.000000001");
        assertEquals(List.of("s4"), ids(sink.latest(new RecordQuery(c, T0.plusSeconds(4), 20))));
        assertEquals(List.of(), ids(sink.latest(new RecordQuery(c, T0.plusSeconds(5), 20))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"jsonl", "dynamodb"})
    void searchesWithoutACollectionAreTheirOwnPartition(String kind) {
        ResultSink sink = sink(kind);
        Instant at = Instant.parse("2031-01-01T00:00:00Z"); // after anything else in the shared table
        sink.write(api("none-1", null, at, "p", 0.9));
        sink.write(api("none-2", null, at.plusMillis(1), "p", 0.9));
        sink.write(api("with-1", "col-" + UUID.randomUUID(), at.plusMillis(2), "p", 0.9));

        List<RecordSummary> none = sink.latest(new RecordQuery(null, at, 20));
        assertEquals(List.of("none-2", "none-1"), ids(none));
        assertNull(none.get(0).collection());
    }

    @ParameterizedTest
    @ValueSource(strings = {"jsonl", "dynamodb"})
    void aFailedRecordReplacedByALaterDeliveryIsShownOnceAsItIsNow(String kind) {
        ResultSink sink = sink(kind);
        String c = "col-retry-" + UUID.randomUUID();
        String key = "crops/retried " + UUID.randomUUID() + ".png";
        sink.write(s3(key, c, T0, SearchStatus.FAILED, "failed-delivery"));
        sink.write(api("between", c, T0.plusSeconds(1), "p", 0.9));
        sink.write(s3(key, c, T0.plusSeconds(2), SearchStatus.MATCHED, "retried-delivery"));

        List<RecordSummary> records = sink.latest(new RecordQuery(c, null, 20));
        assertEquals(List.of("retried-delivery", "between"), ids(records));
        RecordSummary upload = records.get(0);
        assertEquals("MATCHED", upload.status());
        assertEquals(new RecordSummary.Origin("s3", "uploads", key), upload.source());
        assertEquals("Jane", upload.topMatch().name());
        assertEquals(0.93, upload.topMatch().score());
        assertNull(upload.error());
    }

    @ParameterizedTest
    @ValueSource(strings = {"jsonl", "dynamodb"})
    void aSummaryCarriesTheOutcomeAndNothingElse(String kind) throws IOException {
        ResultSink sink = sink(kind);
        String c = "col-summary-" + UUID.randomUUID();
        sink.write(s3("crops/bad.png", c, T0, SearchStatus.FAILED, "failed"));
        sink.write(api("matched", c, T0.plusSeconds(1), "Amy", 0.87));

        List<RecordSummary> records = sink.latest(new RecordQuery(c, null, 20));
        RecordSummary matched = records.get(0);
        assertEquals("matched", matched.recordId());
        assertEquals("2026-11-30T06:00:01.000Z", matched.createdAt());
        assertEquals("MATCHED", matched.status());
        assertEquals(c, matched.collection());
        assertEquals(new RecordSummary.Origin("api", null, null), matched.source());
        assertEquals(new RecordSummary.MatchSummary("id-Amy", "Amy", 0.87), matched.topMatch());
        assertEquals(2, matched.matches().size(), "every stored match, best first");
        assertNull(matched.endpoint(), "a crop search's record names no endpoint");
        RecordSummary failed = records.get(1);
        assertEquals("FAILED", failed.status());
        assertEquals(new RecordSummary.ErrorSummary("ERROR", "upstream_error"), failed.error());
        assertTrue(failed.matches().isEmpty());
        assertNull(failed.topMatch());

        String json = JSON.writeValueAsString(records);
        for (String absent : List.of("thumbnail", "image", "metadata", "params", "pk", "expiresAt", "signature")) {
            assertFalse(json.contains("\"" + absent), absent + " is not in a summary: " + json);
        }
    }

    // ---- the file's own cases ----

    @Test
    void aTornLastLineAndForeignLinesAreLeftOut() throws IOException {
        Path file = dir.resolve(UUID.randomUUID() + ".jsonl");
        JsonLinesResultSink sink = new JsonLinesResultSink(file);
        String c = "col-torn-" + UUID.randomUUID();
        sink.write(api("first", c, T0, "p", 0.9));
        Files.writeString(file, "not json\n{\"Item\":{\"foo\":{\"S\":\"bar\"}}}\n\n", StandardOpenOption.APPEND);
        sink.write(api("second", c, T0.plusSeconds(1), "p", 0.9));
        String next = ItemShape.toExportLine(ItemShape.toItem(api("being-written", c, T0.plusSeconds(2), "p", 0.9)));
        Files.writeString(file, next.substring(0, next.length() / 2), StandardOpenOption.APPEND);

        assertEquals(List.of("second", "first"), ids(sink.latest(new RecordQuery(c, null, 20))));
    }

    @Test
    void readsBackAtMostTheLastFourMebibytes() throws IOException {
        Path file = dir.resolve(UUID.randomUUID() + ".jsonl");
        JsonLinesResultSink sink = new JsonLinesResultSink(file);
        String c = "col-window-" + UUID.randomUUID();
        sink.write(api("too-old", c, T0, "p", 0.9));
        appendFiller(file, JsonLinesResultSink.MAX_READ_BACK_BYTES);
        sink.write(api("within", c, T0.plusSeconds(1), "p", 0.9));
        // Well past one 64 KiB read: the line and its neighbours straddle chunk boundaries.
        appendFiller(file, 300 * 1024);

        assertTrue(Files.size(file) > JsonLinesResultSink.MAX_READ_BACK_BYTES);
        assertEquals(List.of("within"), ids(sink.latest(new RecordQuery(c, null, 20))),
                "the record beyond the window is not read");
    }

    @Test
    void aMissingFileHoldsNoRecords() {
        JsonLinesResultSink sink = new JsonLinesResultSink(dir.resolve("never-written/results.jsonl"));
        assertEquals(List.of(), sink.latest(new RecordQuery(null, null, 20)));
    }

    @Test
    void aFileThatCannotBeReadIsSinkUnavailable() throws IOException {
        Path notAFile = Files.createDirectories(dir.resolve(UUID.randomUUID() + ".jsonl"));
        JsonLinesResultSink sink = new JsonLinesResultSink(notAFile);
        assertThrows(SinkUnavailableException.class, () -> sink.latest(new RecordQuery(null, null, 20)));
    }

    private static void appendFiller(Path file, int bytes) throws IOException {
        String other = "col-filler-" + UUID.randomUUID();
        StringBuilder filler = new StringBuilder();
        int i = 0;
        while (filler.length() < bytes) {
            filler.append(ItemShape.toExportLine(ItemShape.toItem(api("filler-" + i++, other, T0, "p", 0.5))))
                    .append('\n');
        }
        Files.writeString(file, filler, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    private static List<String> ids(List<RecordSummary> records) {
        return records.stream().map(RecordSummary::recordId).toList();
    }

    /** An HTTP crop search's record with two matches, {@code person} best. */
    static ResultRecord api(String id, String collection, Instant at, String person, double score) {
        List<Match> matches = List.of(new Match("id-" + person, person, score, List.of("thumb-" + person)),
                new Match("id-second", "Second", score - 0.1, List.of()));
        return new ResultRecord(id, Source.API, SearchStatus.MATCHED, at, at.getEpochSecond() + 3600, null,
                new SearchParams(collection, 5, 0.5, "FAST", 1), Map.of(), matches, matches.size(), "SC01",
                "Certified by Verifik.co", "January 16, 2024 3:44 PM", 10L, 12, 1, 1, null, null, List.of());
    }

    /** An S3 upload's record keyed by the object (bucket {@code uploads}, no version id: one eTag per key). */
    static ResultRecord s3(String key, String collection, Instant at, SearchStatus status, String id) {
        List<Match> matches = status == SearchStatus.MATCHED
                ? List.of(new Match("p1", "Jane", 0.93, List.of("t1"))) : List.of();
        return new ResultRecord(id, Source.S3, status, at, at.getEpochSecond() + 3600,
                new ObjectVersion("uploads", key, null, "etag-1", 1234L),
                new SearchParams(collection, 5, 0.7, "FAST", 1), Map.of("min-score", "0.7"), matches, matches.size(),
                null, null, null, 12L, 40, 1, 1,
                status == SearchStatus.FAILED ? new Failure("ERROR", "upstream_error", 502, true) : null, null, List.of());
    }
}
