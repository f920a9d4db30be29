package io.cropsearch.records.sink;

import io.cropsearch.model.SearchStatus;
import io.cropsearch.records.RecordKey;
import io.cropsearch.records.RecordQuery;
import io.cropsearch.records.RecordSummary;
import io.cropsearch.records.ResultRecord;
import io.cropsearch.records.StoredRecord;

import java.util.List;
import java.util.Optional;

/**
 * Where result records go, and where the latest are read back from. The operations throw {@link SinkUnavailableException} when the sink cannot be reached or
 * refuses for now (DynamoDB down or throttling, an unwritable file): callers treat that as a transient failure.
 */
public interface ResultSink {

    /** What is already stored under {@code key}, if anything. */
    Optional<StoredRecord> find(RecordKey key);

    /**
     * Stores the record unless a record with the same key exists whose status is final (anything but FAILED). That
     * single conditional write is what keeps at-least-once deliveries from doubling records.
     */
    WriteOutcome write(ResultRecord record);

    /**
     * The latest records of {@link RecordQuery#collectionId()} (null: of searches that named no collection), created
     * at or after {@link RecordQuery#since()} when given, newest first, at most {@link RecordQuery#limit()}: the
     * {@code byCollection} index's question, answered with one bounded read (docs/RECORDS.md, "Reading records back").
     * Only the current record of a key is returned (a FAILED one that a later delivery replaced is not).
     */
    List<RecordSummary> latest(RecordQuery query);

    /**
     * Whether writes cross a network (and so may hang): the HTTP path then bounds its wait for them. A local sink is
     * written on the caller's thread, which spares every request two thread hand-offs.
     */
    default boolean isRemote() {
        return true;
    }

    /** Only a FAILED record may be overwritten, by a later delivery of the same S3 object version. */
    static boolean replaceable(SearchStatus status) {
        return status == SearchStatus.FAILED;
    }

    enum WriteOutcome {
        WRITTEN,
        /** A final record with the same key was already there; nothing was written. */
        DUPLICATE
    }
}
