package io.cropsearch.records.sink;

import io.cropsearch.records.ItemShape;
import io.cropsearch.records.RecordKey;
import io.cropsearch.records.ResultRecord;
import io.cropsearch.records.StoredRecord;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Records appended to a local file in DynamoDB's JSON export format, one {@code {"Item": {...}}} per line, the embedded
 * default when no table is configured. The same conditional rule as the table applies: the file is read once to learn
 * which keys it holds, later writes are checked against that index. One process per file; a line that cannot be read
 * (a torn last line after a crash) is ignored by the index.
 */
public class JsonLinesResultSink implements ResultSink {
    private final Path file;
    private Map<RecordKey, StoredRecord> index;

    public JsonLinesResultSink(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    @Override
    public boolean isRemote() {
        return false;
    }

    @Override
    public synchronized Optional<StoredRecord> find(RecordKey key) {
        return Optional.ofNullable(index().get(key));
    }

    @Override
    public synchronized WriteOutcome write(ResultRecord record) {
        Map<String, AttributeValue> item = ItemShape.toItem(record);
        RecordKey key = new RecordKey(item.get(ItemShape.PK).s(), item.get(ItemShape.SK).s());
        StoredRecord existing = index().get(key);
        if (existing != null && !ResultSink.replaceable(existing.status())) {
            return WriteOutcome.DUPLICATE;
        }
        String line = ItemShape.toExportLine(item) + "\n";
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new SinkUnavailableException("results file not writable: " + e.getClass().getSimpleName(), e);
        }
        if (needsIndex(key)) {
            index.put(key, ItemShape.storedRecord(item));
        }
        return WriteOutcome.WRITTEN;
    }

    private Map<RecordKey, StoredRecord> index() {
        if (index == null) {
            Map<RecordKey, StoredRecord> loaded = new HashMap<>();
            if (Files.exists(file)) {
                try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    String line;
                    while ((line = reader.readLine()) != null) {
                        remember(loaded, line);
                    }
                } catch (IOException e) {
                    throw new SinkUnavailableException("results file not readable: " + e.getClass().getSimpleName(), e);
                }
            }
            index = loaded;
        }
        return index;
    }

    /**
     * Only keys that can be written twice need remembering: S3 object versions (repeat deliveries, retries). An HTTP
     * search's key holds its unique request id, so indexing it would only grow the heap with every request.
     */
    private static boolean needsIndex(RecordKey key) {
        return ItemShape.isRewritable(key);
    }

    private static void remember(Map<RecordKey, StoredRecord> index, String line) {
        if (line.isBlank()) {
            return;
        }
        try {
            Map<String, AttributeValue> item = ItemShape.fromExportLine(line);
            StoredRecord stored = ItemShape.storedRecord(item);
            if (stored != null && item.containsKey(ItemShape.PK) && item.containsKey(ItemShape.SK)) {
                RecordKey key = new RecordKey(item.get(ItemShape.PK).s(), item.get(ItemShape.SK).s());
                if (needsIndex(key)) {
                    // Later lines win, as a FAILED record may have been replaced further down.
                    index.put(key, stored);
                }
            }
        } catch (RuntimeException e) {
            // a torn or foreign line: not ours to judge
        }
    }
}
