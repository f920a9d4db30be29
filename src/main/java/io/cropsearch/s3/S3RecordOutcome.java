package io.cropsearch.s3;

import io.cropsearch.model.SearchStatus;
import io.cropsearch.records.ObjectVersion;

/**
 * What became of one S3 event record. Only {@link Kind#RETRY} fails the invocation; {@code code} says why (an error
 * code, never request data).
 */
public record S3RecordOutcome(ObjectVersion object, Kind kind, SearchStatus status, String code) {

    public enum Kind {
        /** A record was written (any status, FAILED included when it is final for now). */
        RECORDED,
        /** A final record for this object version existed already: nothing searched, nothing written. */
        DUPLICATE,
        /** Not an ObjectCreated event: nothing to search. */
        IGNORED,
        /** Transient trouble: Lambda must deliver the event again. */
        RETRY
    }

    static S3RecordOutcome retry(ObjectVersion object, String code) {
        return new S3RecordOutcome(object, Kind.RETRY, null, code);
    }
}
