package io.cropsearch.records.sink;

import io.cropsearch.records.ItemShape;
import io.cropsearch.records.RecordKey;
import io.cropsearch.records.RecordQuery;
import io.cropsearch.records.RecordSummary;
import io.cropsearch.records.ResultRecord;
import io.cropsearch.records.StoredRecord;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Records appended to a local file in DynamoDB's JSON export format, one {@code {"Item": {...}}} per line, the embedded
 * default when no table is configured. The same conditional rule as the table applies: the file is read once to learn
 * which keys it holds, later writes are checked against that index. One process per file; a line that cannot be read
 * (a torn last line after a crash) is ignored by the index.
 *
 * <p>Reading the latest records back ({@link #latest}) reads the file backwards from its end, at most
 * {@link #MAX_READ_BACK_BYTES}: the file only grows, and a browse must cost the same on day one and day ninety.
 */
public class JsonLinesResultSink implements ResultSink {
    /**
     * How far back from the end {@link #latest} reads: 4 MiB, some thousands of records at their usual 1-3 KB (an item
     * is at most 100 KB). Older records are in the file but not browsed.
     */
    public static final int MAX_READ_BACK_BYTES = 4 * 1024 * 1024;
    private static final int CHUNK_BYTES = 64 * 1024;

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

    /**
     * The file's lines from the newest back, within {@link #MAX_READ_BACK_BYTES}, filtered like the {@code byCollection}
     * index would be: the query's collection partition, a sort key at or after {@code since}'s (the index's own key
     * condition, {@link ItemShape#createdSinceKey}). A key met again
     * further back is an earlier FAILED record that the newer line replaced (the write rule allows nothing else) and
     * is skipped. Appends are in time order but for a few milliseconds of write races, so the result is sorted by
     * {@code createdAt} as the index sorts it. Not synchronised with writes: a line being appended is not yet
     * complete and is left out like a torn one.
     */
    @Override
    public List<RecordSummary> latest(RecordQuery query) {
        String partition = ItemShape.collectionPartition(query.collectionId());
        String since = query.since() == null ? null : ItemShape.createdSinceKey(query.since());
        Set<RecordKey> seen = new HashSet<>();
        List<Map<String, AttributeValue>> found = new ArrayList<>();
        try {
            readBackwards(line -> {
                Map<String, AttributeValue> item = parse(line);
                if (item == null || !item.containsKey(ItemShape.PK) || !item.containsKey(ItemShape.SK)) {
                    return true;
                }
                if (!seen.add(new RecordKey(item.get(ItemShape.PK).s(), item.get(ItemShape.SK).s()))) {
                    return true;
                }
                // The index's own key condition: partition equal, sort key at or after the since key.
                AttributeValue itemPartition = item.get(ItemShape.GSI1_PK);
                AttributeValue sortKey = item.get(ItemShape.GSI1_SK);
                if (itemPartition == null || !partition.equals(itemPartition.s()) || sortKey == null || sortKey.s() == null
                        || since != null && sortKey.s().compareTo(since) < 0) {
                    return true;
                }
                found.add(item);
                return found.size() < query.limit();
            });
        } catch (IOException e) {
            throw new SinkUnavailableException("results file not readable: " + e.getClass().getSimpleName(), e);
        }
        Comparator<Map<String, AttributeValue>> byIndexOrder = Comparator.comparing(
                (Map<String, AttributeValue> item) -> item.get(ItemShape.GSI1_SK).s());
        return found.stream().sorted(byIndexOrder.reversed()).map(ItemShape::summary)
                .filter(java.util.Objects::nonNull).toList();
    }

    private static Map<String, AttributeValue> parse(String line) {
        if (line.isBlank()) {
            return null;
        }
        try {
            return ItemShape.fromExportLine(line);
        } catch (RuntimeException e) {
            return null; // a torn or foreign line
        }
    }

    /**
     * Hands complete lines to {@code consumer}, last first, until it returns false, the file's start, or
     * {@link #MAX_READ_BACK_BYTES} read. Bytes after the file's last newline are a line still being written (or torn
     * by a crash) and are skipped; a line that does not fit in the window is never handed out. Splitting on the
     * newline byte is safe in UTF-8, where it never occurs inside a multi-byte character.
     */
    private void readBackwards(Predicate<String> consumer) throws IOException {
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            return; // nothing recorded yet
        }
        try (channel) {
            long position = channel.size();
            long read = 0;
            byte[] pending = new byte[0];
            boolean terminated = false;
            while (position > 0 && read < MAX_READ_BACK_BYTES) {
                int length = (int) Math.min(CHUNK_BYTES, Math.min(position, MAX_READ_BACK_BYTES - read));
                position -= length;
                read += length;
                byte[] buffer = Arrays.copyOf(readFully(channel, position, length), length + pending.length);
                System.arraycopy(pending, 0, buffer, length, pending.length);
                int end = buffer.length;
                for (int i = buffer.length - 1; i >= 0; i--) {
                    if (buffer[i] != '\n') {
                        continue;
                    }
                    if (terminated && !consumer.test(new String(buffer, i + 1, end - i - 1, StandardCharsets.UTF_8))) {
                        return;
                    }
                    terminated = true;
                    end = i;
                }
                pending = Arrays.copyOf(buffer, end);
            }
            if (position == 0 && terminated && pending.length > 0) {
                consumer.test(new String(pending, StandardCharsets.UTF_8));
            }
        }
    }

    private static byte[] readFully(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new IOException("results file shrank while read");
            }
        }
        return buffer.array();
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
