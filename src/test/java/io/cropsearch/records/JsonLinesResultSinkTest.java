package io.cropsearch.records;

import io.cropsearch.search.ProbeFace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cropsearch.model.SearchStatus;
import io.cropsearch.records.sink.JsonLinesResultSink;
import io.cropsearch.records.sink.ResultSink;
import io.cropsearch.testing.DynaliteServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The embedded default sink: DynamoDB's JSON export format, one {"Item": {...}} per line, same write rule as the table. */
class JsonLinesResultSinkTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void writesOneExportItemPerLineInAttributeValueForm() throws IOException {
        Path file = dir.resolve("nested/results.jsonl");
        JsonLinesResultSink sink = new JsonLinesResultSink(file);

        assertEquals(ResultSink.WriteOutcome.WRITTEN, sink.write(s3Record("a.png", SearchStatus.MATCHED)));
        assertEquals(ResultSink.WriteOutcome.WRITTEN, sink.write(apiRecord("req-1")));

        List<String> lines = Files.readAllLines(file);
        assertEquals(2, lines.size());
        JsonNode first = JSON.readTree(lines.get(0));
        assertEquals(List.of("Item"), iterable(first.fieldNames()));
        JsonNode item = first.get("Item");
        assertEquals("OBJ#uploads/a.png", item.at("/pk/S").asText());
        assertEquals("V#etag-a.png", item.at("/sk/S").asText());
        assertEquals("MATCHED", item.at("/status/S").asText());
        assertTrue(item.at("/expiresAt/N").isTextual(), "numbers are strings in DynamoDB JSON");
        assertEquals("p1", item.at("/matches/L/0/M/personId/S").asText());
        assertEquals("0.93", item.at("/matches/L/0/M/score/N").asText());
        assertEquals("t1", item.at("/matches/L/0/M/thumbnailIds/L/0/S").asText());
        assertTrue(item.at("/matchesTruncated/BOOL").isBoolean());
        assertEquals("REQ#req-1", JSON.readTree(lines.get(1)).at("/Item/pk/S").asText());
        assertEquals("RESULT", JSON.readTree(lines.get(1)).at("/Item/sk/S").asText());
    }

    @Test
    void refusesASecondFinalRecordButLetsAFailedOneBeReplaced() throws IOException {
        Path file = dir.resolve("results.jsonl");
        JsonLinesResultSink sink = new JsonLinesResultSink(file);

        assertEquals(ResultSink.WriteOutcome.WRITTEN, sink.write(s3Record("b.png", SearchStatus.FAILED)));
        assertEquals(ResultSink.WriteOutcome.WRITTEN, sink.write(s3Record("b.png", SearchStatus.MATCHED)));
        assertEquals(ResultSink.WriteOutcome.DUPLICATE, sink.write(s3Record("b.png", SearchStatus.MATCHED)));

        assertEquals(2, Files.readAllLines(file).size());
        assertEquals(SearchStatus.MATCHED, sink.find(new RecordKey("OBJ#uploads/b.png", "V#etag-b.png"))
                .orElseThrow().status());
    }

    @Test
    void anotherProcessFindsWhatTheFileAlreadyHolds() {
        Path file = dir.resolve("results.jsonl");
        new JsonLinesResultSink(file).write(s3Record("c.png", SearchStatus.SKIPPED));

        JsonLinesResultSink restarted = new JsonLinesResultSink(file);

        assertEquals(ResultSink.WriteOutcome.DUPLICATE, restarted.write(s3Record("c.png", SearchStatus.MATCHED)));
    }

    @Test
    void linesLoadIntoARealTableAsTheyAre() throws IOException {
        Path file = dir.resolve("results.jsonl");
        JsonLinesResultSink sink = new JsonLinesResultSink(file);
        sink.write(s3Record("load.png", SearchStatus.MATCHED));
        sink.write(apiRecord("req-load"));
        String table = "jsonl-import";
        DynaliteServer.createTable(table);

        try (DynamoDbClient client = DynaliteServer.client()) {
            for (String line : Files.readAllLines(file)) {
                client.putItem(b -> b.tableName(table).item(ItemShape.fromExportLine(line)));
            }
            Map<String, AttributeValue> item = client.getItem(b -> b.tableName(table).key(Map.of(
                    ItemShape.PK, AttributeValue.fromS("REQ#req-load"), ItemShape.SK, AttributeValue.fromS("RESULT"))))
                    .item();
            assertEquals("api", item.get("source").s());
            assertEquals(2, client.query(b -> b.tableName(table).indexName(ItemShape.GSI2)
                    .keyConditionExpression("#k = :v")
                    .expressionAttributeNames(Map.of("#k", ItemShape.GSI2_PK))
                    .expressionAttributeValues(Map.of(":v", AttributeValue.fromS("PERSON#p1")))).count(),
                    "both records are found through the byPerson index");
        }
    }

    static ResultRecord s3Record(String key, SearchStatus status) {
        Instant now = Instant.parse("2026-11-25T20:00:00Z");
        List<Match> matches = status == SearchStatus.MATCHED
                ? List.of(new Match("p1", "Jane", 0.93, List.of("t1"))) : List.of();
        return new ResultRecord("id-" + key, Source.S3, status, now, now.getEpochSecond() + 3600,
                new ObjectVersion("uploads", key, null, "etag-" + key, 1234L),
                new SearchParams("staff", 5, 0.7, "FAST", 1), Map.of("min-score", "0.7"), matches, matches.size(),
                "SC01", "Certified by Verifik.co", "January 16, 2024 3:44 PM", 12L, 40, 1, 1,
                status == SearchStatus.FAILED ? new Failure("ERROR", "upstream_error", 502, true) : null,
                status == SearchStatus.SKIPPED ? "not_an_image_key" : null,
                status == SearchStatus.MATCHED ? List.of(new ProbeFace(0, 0.91, 12, 10, 108, 112)) : List.of());
    }

    static ResultRecord apiRecord(String requestId) {
        Instant now = Instant.parse("2026-11-25T20:00:00Z");
        return new ResultRecord(requestId, Source.API, SearchStatus.MATCHED, now, now.getEpochSecond() + 3600, null,
                new SearchParams(null, null, 0.7, "FAST", 2), Map.of(),
                List.of(new Match("p1", "Jane", 0.8, List.of())), 1, "SC02", null, null, 10L, 11, 1, 1, null, null, List.of());
    }

    private static List<String> iterable(java.util.Iterator<String> names) {
        List<String> list = new java.util.ArrayList<>();
        names.forEachRemaining(list::add);
        return list;
    }
}
