package io.cropsearch.records;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts what logs alone would hide in aggregate: repeat deliveries refused, objects skipped, S3 records handed back
 * to Lambda for a retry, and HTTP searches whose record could not be written. Each count is also logged when it moves.
 */
@ApplicationScoped
public class RecordCounters {
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong retriesRequested = new AtomicLong();
    private final AtomicLong httpRecordFailures = new AtomicLong();
    private final AtomicLong httpRecordsSpilled = new AtomicLong();

    public long duplicate() {
        return duplicates.incrementAndGet();
    }

    public long skip() {
        return skipped.incrementAndGet();
    }

    public long retryRequested() {
        return retriesRequested.incrementAndGet();
    }

    public long httpRecordFailed() {
        return httpRecordFailures.incrementAndGet();
    }

    /** An HTTP search's record written to the log instead of (or besides) the table. */
    public long httpRecordSpilled() {
        return httpRecordsSpilled.incrementAndGet();
    }

    public long httpRecordsSpilled() {
        return httpRecordsSpilled.get();
    }

    public long duplicates() {
        return duplicates.get();
    }

    public long skipped() {
        return skipped.get();
    }

    public long retriesRequested() {
        return retriesRequested.get();
    }

    public long httpRecordFailures() {
        return httpRecordFailures.get();
    }
}
